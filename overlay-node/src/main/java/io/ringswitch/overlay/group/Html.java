package io.ringswitch.overlay.group;

/** HTML for the group server's pages: escaping of everything that came from outside, and the page frame. */
final class Html {
    private Html() {
    }

    /** Escapes {@code s} for element content and double-quoted attributes. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A whole page titled {@code title} (escaped here) around {@code body} (already HTML). */
    static String page(String group, String title, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + " - "
                + escape(group) + "</title><style>"
                + "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
                + "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ccc;padding:.4em;text-align:left}"
                + ".error{background:#fdd;padding:.6em;border:1px solid #c00}.ok{background:#dfd;padding:.6em}"
                + ".revoked{color:#a00;font-weight:bold}code{background:#eee;padding:.1em .3em;word-break:break-all}"
                + "input[type=text],input[type=password]{width:20em}"
                + "</style></head><body><h1>" + escape(title) + "</h1><p>RingSwitch group <b>" + escape(group) + "</b></p>"
                + body + "</body></html>";
    }

    static String error(String message) {
        return "<p class=\"error\" id=\"error\">" + escape(message) + "</p>";
    }
}
