package dev.satchel.verifier.signature;

import java.nio.file.Path;

/** A regular file of a model: its OMS name (relative POSIX path, or "." for a single-file model), location and size. Immutable. */
public final class ModelFile {
    private final String name;
    private final Path path;
    private final long size;

    ModelFile(String name, Path path, long size) {
        this.name = name;
        this.path = path;
        this.size = size;
    }

    public String name() {
        return name;
    }

    public Path path() {
        return path;
    }

    public long size() {
        return size;
    }

    @Override
    public String toString() {
        return name + " (" + size + " bytes)";
    }
}
