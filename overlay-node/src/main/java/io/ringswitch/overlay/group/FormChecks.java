package io.ringswitch.overlay.group;

/** The checks of what people type into the group server's forms, each refusing with a reason. */
final class FormChecks {
    private FormChecks() {
    }

    /** A site name becomes a certificate's name: the node name rule of the CA. */
    static void siteName(String site) throws GroupRefusal {
        if (site == null || !site.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new GroupRefusal("form-site", "a site name is 1 to 64 of A-Z a-z 0-9 . _ -");
        }
    }

    /** A contact: 1 to 200 printable characters, no control characters. */
    static void contact(String contact) throws GroupRefusal {
        if (contact == null || contact.isBlank() || contact.length() > 200 || contact.chars().anyMatch(Character::isISOControl)) {
            throw new GroupRefusal("form-contact", "a contact is 1 to 200 characters on one line (an e-mail address, say)");
        }
    }

    /** An id or token we made: base64url, bounded. */
    static String handle(String value, String what) throws GroupRefusal {
        if (value == null || !value.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new GroupRefusal("form-" + what, "a malformed " + what);
        }
        return value;
    }
}
