package dev.satchel.devices.internal;

import java.util.List;
import java.util.Optional;

/**
 * A YAML value with the file and line it came from. Kept separate from SnakeYAML's nodes so that
 * merged trees ({@code extends}) can mix values from several files and still point at the right one.
 */
public sealed interface YNode permits YNode.YMap, YNode.YSeq, YNode.YScalar {
    String file();

    /** 1-based line. */
    int line();

    /** What kind of YAML value this is, for messages ("expected a number, found a list"). */
    String describe();

    /** A mapping; entries keep file order and duplicates (detected later, with both lines). */
    record YMap(String file, int line, List<Entry> entries) implements YNode {
        public YMap {
            entries = List.copyOf(entries);
        }

        public Optional<Entry> entry(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).findFirst();
        }

        public Optional<YNode> get(String key) {
            return entry(key).map(Entry::value);
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** A mapping entry: a scalar key, the line the key is on, and the value. */
    record Entry(String key, int keyLine, YNode value) {}

    record YSeq(String file, int line, List<YNode> items) implements YNode {
        public YSeq {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A scalar with the type YAML's core resolver gave it. */
    record YScalar(String file, int line, String text, Type type) implements YNode {
        public enum Type {
            STRING,
            INT,
            FLOAT,
            BOOL,
            NULL
        }

        @Override
        public String describe() {
            switch (type) {
                case NULL:
                    return "null";
                case BOOL:
                    return "a boolean (" + text + ")";
                case INT:
                case FLOAT:
                    return "a number (" + text + ")";
                default:
                    return "a string";
            }
        }
    }
}
