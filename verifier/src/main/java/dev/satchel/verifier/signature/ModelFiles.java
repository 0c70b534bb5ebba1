package dev.satchel.verifier.signature;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists the files of a model the way OMS defines it: every regular file under the model root,
 * dotfiles included, minus the ignore paths (whole relative prefixes, no globs), minus the
 * signature file itself. Symlinks are an error unless allowed (then the target's content counts
 * under the link's name); other special files are always an error.
 */
public final class ModelFiles {
    /**
     * Component-wise path order, each component compared by Unicode code point: the order the
     * reference implementation's {@code sorted(PurePosixPath)} produces, which the root digest
     * depends on.
     */
    public static final Comparator<String> NAME_ORDER = (a, b) -> {
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = dev.satchel.verifier.json.Json.compareCodePoints(x[i], y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    };

    private ModelFiles() {}

    /**
     * Lists the model's files in {@link #NAME_ORDER}.
     *
     * @param model a directory or a single file
     * @param ignorePaths relative paths to leave out, with their subtrees
     * @param signatureFile the signature file; left out when inside the model (may be null)
     * @throws ModelSignatureException {@code INVALID_MODEL_FILE} for symlinks (unless allowed),
     *     special files and names that are not valid OMS names
     */
    public static List<ModelFile> list(Path model, List<String> ignorePaths, boolean allowSymlinks, Path signatureFile)
            throws IOException, ModelSignatureException {
        BasicFileAttributes rootAttrs = Files.readAttributes(model, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (rootAttrs.isSymbolicLink() && !allowSymlinks) {
            throw invalid("model path " + model + " is a symlink and symlinks are not allowed");
        }
        if (!Files.isDirectory(model)) {
            if (!Files.isRegularFile(model)) {
                throw invalid("model path " + model + ": not a regular file or directory");
            }
            List<ModelFile> one = new ArrayList<>();
            one.add(new ModelFile(".", model, Files.size(model)));
            return one;
        }
        Path root = model.toAbsolutePath().normalize();
        Set<String> ignores = new LinkedHashSet<>();
        for (String i : ignorePaths) {
            // "./a/", "a/" and "a" name the same path (the reference matches with Path.is_relative_to).
            String n = i.replace('\\', '/');
            while (n.startsWith("./")) {
                n = n.substring(2);
            }
            while (n.endsWith("/")) {
                n = n.substring(0, n.length() - 1);
            }
            if (!n.isEmpty() && !".".equals(n)) {
                ignores.add(n);
            }
        }
        if (signatureFile != null) {
            Path sig = signatureFile.toAbsolutePath().normalize();
            if (sig.startsWith(root) && !sig.equals(root)) {
                ignores.add(posix(root.relativize(sig)));
            }
        }
        List<ModelFile> out = new ArrayList<>();
        ModelSignatureException[] problem = new ModelSignatureException[1];
        Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE,
                new SimpleFileVisitor<Path>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        if (!dir.equals(root) && ignored(posix(root.relativize(dir)), ignores)) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        String name = posix(root.relativize(file));
                        if (ignored(name, ignores)) {
                            return FileVisitResult.CONTINUE;
                        }
                        if (name.indexOf('\\') >= 0 || name.indexOf('\uFFFD') >= 0) {
                            problem[0] = invalid("'" + name + "': file name is not a portable UTF-8 POSIX name");
                            return FileVisitResult.TERMINATE;
                        }
                        if (attrs.isSymbolicLink()) {
                            if (!allowSymlinks) {
                                problem[0] = invalid("'" + name + "': is a symlink and the signature does not allow symlinks");
                                return FileVisitResult.TERMINATE;
                            }
                            if (!Files.isRegularFile(file)) {
                                problem[0] = invalid("'" + name + "': symlink does not point to a regular file");
                                return FileVisitResult.TERMINATE;
                            }
                            out.add(new ModelFile(name, file, Files.size(file)));
                        } else if (attrs.isRegularFile()) {
                            out.add(new ModelFile(name, file, attrs.size()));
                        } else {
                            problem[0] = invalid("'" + name + "': not a regular file (fifo, socket or device)");
                            return FileVisitResult.TERMINATE;
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
        if (problem[0] != null) {
            throw problem[0];
        }
        out.sort((a, b) -> NAME_ORDER.compare(a.name(), b.name()));
        return out;
    }

    static boolean ignored(String name, Set<String> ignores) {
        for (String i : ignores) {
            if (name.equals(i) || name.startsWith(i + "/")) {
                return true;
            }
        }
        return false;
    }

    static String posix(Path relative) {
        StringBuilder sb = new StringBuilder();
        for (Path part : relative) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part.toString());
        }
        return sb.toString();
    }

    private static ModelSignatureException invalid(String message) {
        return new ModelSignatureException(ModelSignatureException.Code.INVALID_MODEL_FILE, message);
    }
}
