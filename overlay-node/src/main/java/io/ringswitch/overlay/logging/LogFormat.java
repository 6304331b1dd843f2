package io.ringswitch.overlay.logging;

import java.util.Locale;

/** How log lines are written: text for people, JSON (one object a line) for log collectors. */
public enum LogFormat {
    TEXT, JSON;

    /** {@code text} or {@code json}, any case. */
    public static LogFormat of(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("log format: text or json (got " + name + ")");
        }
    }
}
