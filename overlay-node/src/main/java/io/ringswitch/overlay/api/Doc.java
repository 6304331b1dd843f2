package io.ringswitch.overlay.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a config field is, for the operator: {@link ConfigReference} turns these into
 * {@code docs/config.md} and {@code ringswitch config reference}, so that the reference is written
 * next to the field and cannot drift from it (a test compares the two).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Doc {
    /** What the field does, in one or two sentences. */
    String value();

    /** The value taken when the field is left out; empty when there is none (the field is required or optional without one). */
    String byDefault() default "";

    /** A valid value as it would be written in the YAML file. */
    String example() default "";
}
