package dev.satchel.devices.internal;

import dev.satchel.devices.ProfileException;
import dev.satchel.devices.ProfileProblem;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML text into {@link YNode}s with line numbers. Uses SnakeYAML's composer only (no object
 * construction, so no arbitrary types), with limits that keep hostile files cheap: at most 1 MiB of
 * text, 20 aliases, nesting depth 20.
 */
public final class YamlLoader {
    /** Profiles are small; anything bigger is a mistake or an attack. */
    public static final int MAX_CHARS = 1 << 20;

    private YamlLoader() {}

    public static YNode load(String file, String text) throws ProfileException {
        if (text.length() > MAX_CHARS) {
            throw new ProfileException(List.of(new ProfileProblem(file, 0, ProfileProblem.Code.YAML_SYNTAX,
                    "file is " + text.length() + " characters; profiles are limited to " + MAX_CHARS)));
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // reported by the binder with both lines
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(MAX_CHARS * 4);
        options.setAllowRecursiveKeys(false);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = mark == null ? 0 : mark.getLine() + 1;
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new ProfileException(List.of(new ProfileProblem(file, line, ProfileProblem.Code.YAML_SYNTAX,
                    "not well-formed YAML: " + oneLine(what))), e);
        } catch (YAMLException e) {
            throw new ProfileException(List.of(new ProfileProblem(file, 0, ProfileProblem.Code.YAML_SYNTAX,
                    "not well-formed YAML: " + oneLine(e.getMessage()))), e);
        }
        if (root == null) {
            throw new ProfileException(List.of(new ProfileProblem(file, 1, ProfileProblem.Code.MISSING_FIELD,
                    "the file is empty; expected a mapping with id, name, class...")));
        }
        List<ProfileProblem> problems = new ArrayList<>();
        YNode node = convert(file, root, problems);
        if (!problems.isEmpty()) {
            throw new ProfileException(problems);
        }
        return node;
    }

    private static YNode convert(String file, Node node, List<ProfileProblem> problems) {
        int line = node.getStartMark().getLine() + 1;
        if (node instanceof MappingNode) {
            List<YNode.Entry> entries = new ArrayList<>();
            for (NodeTuple t : ((MappingNode) node).getValue()) {
                Node k = t.getKeyNode();
                int keyLine = k.getStartMark().getLine() + 1;
                if (!(k instanceof ScalarNode)) {
                    problems.add(new ProfileProblem(file, keyLine, ProfileProblem.Code.WRONG_TYPE,
                            "mapping keys must be plain strings"));
                    continue;
                }
                entries.add(new YNode.Entry(((ScalarNode) k).getValue(), keyLine,
                        convert(file, t.getValueNode(), problems)));
            }
            return new YNode.YMap(file, line, entries);
        }
        if (node instanceof SequenceNode) {
            List<YNode> items = new ArrayList<>();
            for (Node item : ((SequenceNode) node).getValue()) {
                items.add(convert(file, item, problems));
            }
            return new YNode.YSeq(file, line, items);
        }
        ScalarNode s = (ScalarNode) node;
        Tag tag = s.getTag();
        YNode.YScalar.Type type;
        if (Tag.INT.equals(tag)) {
            type = YNode.YScalar.Type.INT;
        } else if (Tag.FLOAT.equals(tag)) {
            type = YNode.YScalar.Type.FLOAT;
        } else if (Tag.BOOL.equals(tag)) {
            type = YNode.YScalar.Type.BOOL;
        } else if (Tag.NULL.equals(tag)) {
            type = YNode.YScalar.Type.NULL;
        } else {
            type = YNode.YScalar.Type.STRING;
        }
        return new YNode.YScalar(file, line, s.getValue(), type);
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "syntax error";
        }
        return s.replaceAll("\\s+", " ").trim();
    }
}
