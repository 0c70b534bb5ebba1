package dev.satchel.devices.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code extends} rule: the child's tree laid over the parent's. Mappings merge key by key,
 * recursively; any other child value (scalar or list) replaces the parent's whole; a child value of
 * {@code null} removes the parent's key. Every value keeps the file and line it came from.
 */
public final class YamlMerge {
    private YamlMerge() {}

    public static YNode.YMap merge(YNode.YMap parent, YNode.YMap child) {
        List<YNode.Entry> out = new ArrayList<>();
        for (YNode.Entry p : parent.entries()) {
            Optional<YNode.Entry> c = child.entry(p.key());
            if (c.isEmpty()) {
                out.add(p);
            } else if (isNull(c.get().value())) {
                continue; // explicit removal
            } else if (p.value() instanceof YNode.YMap && c.get().value() instanceof YNode.YMap) {
                out.add(new YNode.Entry(p.key(), c.get().keyLine(),
                        merge((YNode.YMap) p.value(), (YNode.YMap) c.get().value())));
            } else {
                out.add(c.get());
            }
        }
        for (YNode.Entry c : child.entries()) {
            if (parent.entry(c.key()).isEmpty() && !isNull(c.value())) {
                out.add(c);
            }
        }
        return new YNode.YMap(child.file(), child.line(), out);
    }

    private static boolean isNull(YNode n) {
        return n instanceof YNode.YScalar && ((YNode.YScalar) n).type() == YNode.YScalar.Type.NULL;
    }
}
