package io.ringswitch.overlay.group;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The administrator's sessions: a random id in an HttpOnly, Secure, SameSite=Strict cookie, an
 * expiry, and a per-session CSRF token that every POST form carries in a hidden field and that
 * {@link #checkCsrf} compares in constant time. A form from another site has neither the cookie
 * (SameSite) nor the token (it cannot read our pages), and each check alone refuses it.
 */
final class AdminSessions {
    static final String COOKIE = "rs_admin";
    static final long LIFETIME_MILLIS = 60 * 60_000L;
    private static final int MAX_SESSIONS = 64;

    /** One logged-in session. */
    record Session(String id, String csrf, long expiresAt) {
    }

    private final LongSupplier millis;
    private final Map<String, Session> sessions = new HashMap<>();

    AdminSessions(LongSupplier millis) {
        this.millis = millis;
    }

    synchronized Session open() {
        expire();
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min((a, b) -> Long.compare(a.expiresAt(), b.expiresAt()))
                    .ifPresent(oldest -> sessions.remove(oldest.id()));
        }
        Session s = new Session(GroupStore.randomId(32), GroupStore.randomId(32), millis.getAsLong() + LIFETIME_MILLIS);
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session named by a request's Cookie header, if any. */
    synchronized Optional<Session> find(String cookieHeader) {
        expire();
        String id = cookie(cookieHeader);
        return id == null ? Optional.empty() : Optional.ofNullable(sessions.get(id));
    }

    synchronized void close(Session s) {
        sessions.remove(s.id());
    }

    /** Refuses a POST whose form token is not this session's. */
    static void checkCsrf(Session s, String formToken) throws GroupRefusal {
        if (formToken == null || !MessageDigest.isEqual(s.csrf().getBytes(StandardCharsets.US_ASCII),
                formToken.getBytes(StandardCharsets.US_ASCII))) {
            throw new GroupRefusal("csrf", "the form's token is missing or not this session's: reload the page and try again");
        }
    }

    /** The Set-Cookie value for {@code s}. */
    static String setCookie(Session s) {
        return COOKIE + "=" + s.id() + "; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=" + LIFETIME_MILLIS / 1000;
    }

    static String clearCookie() {
        return COOKIE + "=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0";
    }

    private static String cookie(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(COOKIE + "=")) {
                return p.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }

    private void expire() {
        long now = millis.getAsLong();
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
            if (it.next().expiresAt() <= now) {
                it.remove();
            }
        }
    }
}
