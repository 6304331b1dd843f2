package io.ringswitch.overlay.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a node's YAML config into a checked {@link NodeConfig} in three steps, each of which
 * reports every problem it finds: YAML syntax (with line and column), the file's shape against
 * the records ({@link ConfigShape}: unknown keys, wrong kinds), then the values
 * ({@link NodeConfigChecks}) of what is left once the misshapen entries are taken out, so that
 * one message names them all.
 */
public final class ConfigReader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConfigReader() {
    }

    /** Reads and checks {@code file}; the exception lists every problem, each with its field, value and fix. */
    public static NodeConfig load(Path file) throws NodeConfig.ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new NodeConfig.ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        return read(text, file.toString());
    }

    /** Reads and checks {@code text}; {@code where} names it in the exception's message. */
    public static NodeConfig read(String text, String where) throws NodeConfig.ConfigException {
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new NodeConfig.ConfigException(where, List.of(syntax(e, text)));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new NodeConfig.ConfigException(where + ": the file is empty");
        }
        ConfigProblems shape = new ConfigProblems();
        ConfigShape.check(tree, NodeConfig.class, "", shape);
        NodeConfig raw;
        try {
            raw = YAML.treeToValue(tree, NodeConfig.class);
        } catch (JsonMappingException e) {
            if (!shape.isEmpty()) {
                throw new NodeConfig.ConfigException(where, shape.list());
            }
            String path = String.join(".", e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]").toList()).replace(".[", "[");
            throw new NodeConfig.ConfigException(where, List.of(new ConfigProblem(path, null, e.getOriginalMessage())));
        } catch (JsonProcessingException e) {
            throw new NodeConfig.ConfigException(where, List.of(syntax(e, text)));
        }
        if (shape.isEmpty()) {
            return raw.checked(where);
        }
        ConfigProblems values = new ConfigProblems();
        NodeConfigChecks.checked(raw, values);
        List<ConfigProblem> all = new ArrayList<>(shape.list());
        for (ConfigProblem p : values.list()) {
            if (shape.list().stream().noneMatch(s -> p.path().equals(s.path()) || p.path().startsWith(s.path() + ".")
                    || p.path().startsWith(s.path() + "["))) {
                all.add(p);
            }
        }
        throw new NodeConfig.ConfigException(where, all);
    }

    /** A YAML syntax error as a problem at its line and column, with that line as the value. */
    private static ConfigProblem syntax(JsonProcessingException e, String text) {
        JsonLocation at = e.getLocation();
        int lineNr = at == null ? 0 : at.getLineNr();
        int columnNr = at == null ? 0 : at.getColumnNr();
        String cause = e.getOriginalMessage().lines().findFirst().orElse("not YAML");
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            cause = yaml.getProblem();
            if (yaml.getContext() != null && yaml.getContextMark() != null) {
                cause += ", " + yaml.getContext() + " that began at line "
                        + (yaml.getContextMark().getLine() + 1) + ", column " + (yaml.getContextMark().getColumn() + 1);
            }
            lineNr = yaml.getProblemMark().getLine() + 1;
            columnNr = yaml.getProblemMark().getColumn() + 1;
        }
        if (lineNr < 1) {
            return new ConfigProblem("(the file)", null, "valid YAML: " + cause);
        }
        List<String> lines = text.lines().toList();
        String line = lineNr <= lines.size() ? lines.get(lineNr - 1).strip() : null;
        return new ConfigProblem("line " + lineNr + ", column " + columnNr, line,
                "valid YAML (" + cause + "); check the indentation, colons and brackets there");
    }
}
