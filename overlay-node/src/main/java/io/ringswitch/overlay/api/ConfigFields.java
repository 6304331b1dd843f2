package io.ringswitch.overlay.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a config section as the YAML file spells them, read from the section's record:
 * the one description of the file's shape that both {@link ConfigShape} (what may be written) and
 * {@link ConfigReference} (what is documented) use.
 *
 * @param yamlName the key in the file ({@code @JsonProperty}'s name, else the component's)
 * @param kind     what the value must be
 * @param section  the record of a section, or null for a scalar or a list
 * @param doc      the field's documentation, or null when it has none
 */
record ConfigFields(String yamlName, Kind kind, Class<?> section, Doc doc) {

    /** What a field's value must be in the YAML file. */
    enum Kind {
        TEXT("text"), WHOLE_NUMBER("whole number"), BOOLEAN("true or false"), LIST("list of text"), SECTION("section");

        final String shown;

        Kind(String shown) {
            this.shown = shown;
        }
    }

    /** The fields of {@code type}, a config record, in the order they are declared. */
    static List<ConfigFields> of(Class<?> type) {
        List<ConfigFields> fields = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            JsonProperty renamed = c.getAccessor().getAnnotation(JsonProperty.class);
            String name = renamed != null && !renamed.value().isEmpty() ? renamed.value() : c.getName();
            Class<?> t = c.getType();
            Kind kind;
            if (t == String.class) {
                kind = Kind.TEXT;
            } else if (t == Integer.class) {
                kind = Kind.WHOLE_NUMBER;
            } else if (t == Boolean.class) {
                kind = Kind.BOOLEAN;
            } else if (t == List.class && c.getGenericType() instanceof ParameterizedType p
                    && p.getActualTypeArguments()[0] == String.class) {
                kind = Kind.LIST;
            } else if (t.isRecord()) {
                kind = Kind.SECTION;
            } else {
                throw new IllegalStateException(type.getSimpleName() + "." + c.getName() + ": a config field of type " + t
                        + " is neither text, a whole number, true/false, a list of text nor a section");
            }
            fields.add(new ConfigFields(name, kind, kind == Kind.SECTION ? t : null, c.getAnnotation(Doc.class)));
        }
        return fields;
    }
}
