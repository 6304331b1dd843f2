package io.ringswitch.overlay.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks the shape of a parsed YAML file against the config records before Jackson binds it:
 * unknown keys (with the closest known one suggested) and values of the wrong kind (a word where a
 * number belongs, a single value where a list belongs). Jackson stops at the first of these; this
 * walk notes all of them, so that one run of {@code ringswitch config check} shows every mistake,
 * and takes each offending entry out of the tree, so that the rest can still be bound and its
 * values checked in the same run.
 */
final class ConfigShape {
    private ConfigShape() {
    }

    /**
     * Notes every unknown key and wrongly kinded value of {@code node}, the section of type
     * {@code type} at {@code path}, and removes them from {@code node}.
     */
    static void check(JsonNode node, Class<?> type, String path, ConfigProblems problems) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            problems.add(path.isEmpty() ? "(the file)" : path, shown(node), "a section of key: value pairs such as "
                    + example(type));
            return;
        }
        List<ConfigFields> fields = ConfigFields.of(type);
        List<String> bad = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> e = entries.next();
            String where = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            ConfigFields field = fields.stream().filter(f -> f.yamlName().equals(e.getKey())).findFirst().orElse(null);
            int before = problems.size();
            if (field == null) {
                problems.add(where, shown(e.getValue()), unknown(e.getKey(), path, fields));
            } else {
                value(e.getValue(), field, where, problems);
            }
            boolean whole = field == null || field.kind() != ConfigFields.Kind.SECTION || !e.getValue().isObject();
            if (problems.size() > before && whole) {
                bad.add(e.getKey());
            }
        }
        ((ObjectNode) node).remove(bad);
    }

    private static void value(JsonNode v, ConfigFields field, String where, ConfigProblems problems) {
        if (v.isNull()) {
            return;
        }
        switch (field.kind()) {
            case TEXT -> {
                if (!v.isValueNode()) {
                    problems.add(where, shown(v), "a single value" + example(field));
                }
            }
            case WHOLE_NUMBER -> {
                boolean quoted = v.isTextual() && v.asText().matches("-?[0-9]{1,9}");
                if (!quoted && (!v.isIntegralNumber() || !v.canConvertToInt())) {
                    problems.add(where, shown(v), "a whole number" + example(field));
                }
            }
            case BOOLEAN -> {
                if (!v.isBoolean() && !(v.isTextual() && v.asText().matches("true|false"))) {
                    problems.add(where, shown(v), "true or false");
                }
            }
            case LIST -> {
                if (!v.isArray()) {
                    problems.add(where, shown(v), "a list such as [a, b]" + example(field));
                    return;
                }
                for (int i = 0; i < v.size(); i++) {
                    if (!v.get(i).isValueNode()) {
                        problems.add(where + "[" + i + "]", shown(v.get(i)), "a single value" + example(field));
                    }
                }
            }
            case SECTION -> check(v, field.section(), where, problems);
        }
    }

    /** What to write instead of an unknown key: the closest known one when it is close, and the known ones. */
    private static String unknown(String key, String path, List<ConfigFields> fields) {
        String known = String.join(", ", fields.stream().map(ConfigFields::yamlName).toList());
        String closest = fields.stream().map(ConfigFields::yamlName)
                .min(Comparator.comparingInt(n -> distance(key.toLowerCase(), n.toLowerCase()))).orElse(null);
        String where = path.isEmpty() ? "at the top level" : "in " + path;
        String hint = closest != null && distance(key.toLowerCase(), closest.toLowerCase()) <= Math.max(2, key.length() / 3)
                ? "did you mean " + closest + "? " : "";
        return "not a field " + where + "; " + hint + "known: " + known;
    }

    /** Levenshtein distance: the fewest one-character insertions, deletions and substitutions from {@code a} to {@code b}. */
    static int distance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
    }

    private static String example(ConfigFields field) {
        return field.doc() == null || field.doc().example().isEmpty() ? "" : ", e.g. " + field.doc().example();
    }

    private static String example(Class<?> section) {
        ConfigFields first = ConfigFields.of(section).get(0);
        return "{" + first.yamlName() + ": ...}";
    }

    /** A value as the operator wrote it, shortened. */
    private static String shown(JsonNode v) {
        String text = v.isValueNode() ? v.asText() : v.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
