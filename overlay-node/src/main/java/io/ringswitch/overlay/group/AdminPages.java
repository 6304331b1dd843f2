package io.ringswitch.overlay.group;

import com.sun.net.httpserver.HttpExchange;
import io.ringswitch.overlay.group.GroupState.Member;
import io.ringswitch.overlay.group.GroupState.Request;
import io.ringswitch.overlay.group.GroupState.Status;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The administrator's pages under {@code /admin}: login (throttled, {@link LoginThrottle}), the
 * requests waiting (approve or deny), the approved ones with their tokens, the members (name,
 * ring address, certificate expiry, last seen, online from the ring's view ({@link RingView}),
 * revoked) with a revoke button, and logout. Every
 * POST but the login needs the session's cookie and its CSRF token ({@link AdminSessions}).
 */
final class AdminPages {
    private final GroupStore store;
    private final String group;
    private final String serverSha256;
    private final AdminSessions sessions;
    private final LoginThrottle throttle;
    private final Refusals refusals;
    private final Clock clock;

    AdminPages(GroupStore store, String group, String serverSha256, AdminSessions sessions, LoginThrottle throttle,
               Refusals refusals, Clock clock) {
        this.store = store;
        this.group = group;
        this.serverSha256 = serverSha256;
        this.sessions = sessions;
        this.throttle = throttle;
        this.refusals = refusals;
        this.clock = clock;
    }

    void handle(HttpExchange ex) throws IOException, GroupRefusal {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        Optional<AdminSessions.Session> session = sessions.find(ex.getRequestHeaders().getFirst("Cookie"));
        if (path.equals("/admin") && method.equals("GET")) {
            Exchanges.html(ex, 200, session.map(s -> Html.page(group, "Administration", dashboard(s)))
                    .orElseGet(() -> Html.page(group, "Administrator login", login(""))));
            return;
        }
        if (path.equals("/admin/login") && method.equals("POST")) {
            login(ex);
            return;
        }
        if (!method.equals("POST")) {
            throw new GroupRefusal("not-found", "no such page");
        }
        AdminSessions.Session s = session.orElseThrow(() -> new GroupRefusal("admin-no-session",
                "not logged in (or the session expired): log in again"));
        Map<String, String> f = Exchanges.form(ex);
        AdminSessions.checkCsrf(s, f.get("csrf"));
        Instant now = clock.instant();
        String done;
        switch (path) {
            case "/admin/logout" -> {
                sessions.close(s);
                ex.getResponseHeaders().add("Set-Cookie", AdminSessions.clearCookie());
                Exchanges.redirect(ex, "/admin");
                return;
            }
            case "/admin/approve" -> done = "Approved " + store.approve(FormChecks.handle(f.get("id"), "request-id"), now).site()
                    + ": its token is below and on the requester's status page.";
            case "/admin/deny" -> done = "Denied " + store.deny(FormChecks.handle(f.get("id"), "request-id"), now).site() + ".";
            case "/admin/revoke" -> {
                String name = f.get("name");
                FormChecks.siteName(name);
                done = "Revoked " + store.revoke(name, now).name() + ": it is in the CRL from now on.";
            }
            default -> throw new GroupRefusal("not-found", "no such action");
        }
        Exchanges.html(ex, 200, Html.page(group, "Administration", "<p class=\"ok\" id=\"done\">" + Html.escape(done) + "</p>"
                + dashboard(s)));
    }

    private void login(HttpExchange ex) throws IOException, GroupRefusal {
        String from = Exchanges.client(ex);
        throttle.check(from);
        Map<String, String> f = Exchanges.form(ex);
        String password = f.get("password");
        if (password == null || password.length() > 1024 || !PasswordHash.matches(password, store.adminHash().orElseThrow())) {
            throttle.failed(from);
            GroupRefusal r = new GroupRefusal("login-failed", "wrong password");
            Exchanges.html(ex, 403, Html.page(group, "Administrator login", login(r.getMessage())));
            throw r.answered();
        }
        throttle.succeeded(from);
        AdminSessions.Session s = sessions.open();
        ex.getResponseHeaders().add("Set-Cookie", AdminSessions.setCookie(s));
        Exchanges.redirect(ex, "/admin");
    }

    private static String login(String error) {
        return (error.isEmpty() ? "" : Html.error(error))
                + "<form method=\"post\" action=\"/admin/login\"><p><label>Password <input type=\"password\" "
                + "name=\"password\" id=\"password\" required></label></p><p><button type=\"submit\" id=\"login\">Log in</button>"
                + "</p></form>";
    }

    private String dashboard(AdminSessions.Session s) {
        StringBuilder b = new StringBuilder();
        b.append("<h2>Requests waiting</h2><table id=\"pending\"><tr><th>Site</th><th>Contact</th><th>Asked</th><th></th></tr>");
        for (Request r : store.pending()) {
            b.append("<tr><td>").append(Html.escape(r.site())).append("</td><td>").append(Html.escape(r.contact()))
                    .append("</td><td>").append(Instant.ofEpochMilli(r.createdAt())).append("</td><td>")
                    .append(button(s, "/admin/approve", "id", r.id(), "Approve", "approve-" + r.site()))
                    .append(button(s, "/admin/deny", "id", r.id(), "Deny", "deny-" + r.site())).append("</td></tr>");
        }
        b.append("</table><h2>Approved, not yet enrolled</h2><table id=\"approved\"><tr><th>Site</th><th>Enrolment token</th></tr>");
        for (Request r : store.requests()) {
            if (r.status() == Status.APPROVED) {
                b.append("<tr><td>").append(Html.escape(r.site())).append("</td><td><code class=\"token\" id=\"token-")
                        .append(Html.escape(r.site())).append("\">").append(Html.escape(JoinPages.token(r.token(), serverSha256)))
                        .append("</code></td></tr>");
            }
        }
        b.append("</table><h2>Members</h2><table id=\"members\"><tr><th>Name</th><th>Ring address</th>"
                + "<th>Certificate expires</th><th>Last seen</th><th>Online (ring view)</th><th>State</th><th></th></tr>");
        Map<String, RingView> ring = store.ringView(clock.instant());
        for (Member m : store.members()) {
            RingView view = ring.get(m.name());
            b.append("<tr id=\"member-").append(Html.escape(m.name())).append("\"><td>").append(Html.escape(m.name()))
                    .append("</td><td><code>").append(Html.escape(m.address())).append("</code></td><td>")
                    .append(Instant.ofEpochMilli(m.notAfter())).append("</td><td>").append(Instant.ofEpochMilli(m.lastSeen()))
                    .append("</td><td class=\"ring-").append(view.kind()).append("\" id=\"online-").append(Html.escape(m.name()))
                    .append("\">").append(Html.escape(view.describe())).append("</td><td>").append(m.revoked() ? "<span class=\"revoked\">revoked " + Instant.ofEpochMilli(m.revokedAt())
                            + "</span>" : "active").append("</td><td>")
                    .append(m.revoked() ? "" : button(s, "/admin/revoke", "name", m.name(), "Revoke", "revoke-" + m.name()))
                    .append("</td></tr>");
        }
        b.append("</table><p>Revocation list: <a href=\"/crl\">/crl</a> (last published: number ").append(store.crlNumber())
                .append("). Members fetch it on an interval, and with each fetch report the peers they have live links to: "
                + "the online column.</p>");
        b.append("<p>Refused requests: ").append(Html.escape(refusals.snapshot().toString())).append("</p>");
        b.append("<p>Server TLS certificate SHA-256: <code>").append(serverSha256).append("</code></p>");
        b.append("<form method=\"post\" action=\"/admin/logout\"><input type=\"hidden\" name=\"csrf\" value=\"")
                .append(s.csrf()).append("\"><button type=\"submit\" id=\"logout\">Log out</button></form>");
        return b.toString();
    }

    private static String button(AdminSessions.Session s, String action, String field, String value, String label, String id) {
        return "<form method=\"post\" action=\"" + action + "\" style=\"display:inline\"><input type=\"hidden\" name=\"csrf\" value=\""
                + s.csrf() + "\"><input type=\"hidden\" name=\"" + field + "\" value=\"" + Html.escape(value) + "\">"
                + "<button type=\"submit\" id=\"" + Html.escape(id) + "\">" + label + "</button></form> ";
    }
}
