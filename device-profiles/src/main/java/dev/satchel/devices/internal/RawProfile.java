package dev.satchel.devices.internal;

import java.util.Optional;

/** One profile file read into a tree but not yet merged or bound. */
public record RawProfile(String file, YNode.YMap tree, Optional<String> id, Optional<String> extendsId,
        int extendsLine) {
    public static RawProfile of(YNode.YMap tree) {
        Optional<String> id = scalar(tree, "id");
        Optional<String> parent = scalar(tree, "extends");
        int line = tree.entry("extends").map(YNode.Entry::keyLine).orElse(0);
        return new RawProfile(tree.file(), tree, id, parent, line);
    }

    private static Optional<String> scalar(YNode.YMap tree, String key) {
        return tree.get(key).filter(n -> n instanceof YNode.YScalar).map(n -> ((YNode.YScalar) n).text());
    }
}
