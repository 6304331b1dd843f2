package io.ringswitch.overlay.group;

import com.sun.net.httpserver.HttpExchange;
import io.ringswitch.overlay.group.GroupState.Request;
import io.ringswitch.overlay.group.GroupState.Status;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The pages of someone who asks to join: the join form ({@code /}), the request's status page
 * ({@code /status/ID}, which shows the one-time enrolment token once approved and until used),
 * and the group's configuration bundle ({@code /bundle/ID}). The request id, 128 random bits,
 * is what gives access to these: whoever holds it is the requester.
 */
final class JoinPages {
    private final GroupStore store;
    private final String group;
    private final String serverSha256;
    private final Supplier<GroupApi.Bundle> bundle;
    private final Clock clock;

    JoinPages(GroupStore store, String group, String serverSha256, Supplier<GroupApi.Bundle> bundle, Clock clock) {
        this.store = store;
        this.group = group;
        this.serverSha256 = serverSha256;
        this.bundle = bundle;
        this.clock = clock;
    }

    /** The enrolment token as given to people: the secret, a dot, and the server certificate's SHA-256. */
    static String token(String secret, String serverSha256) {
        return secret + "." + serverSha256;
    }

    void handle(HttpExchange ex) throws IOException, GroupRefusal {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals("/") && method.equals("GET")) {
            Exchanges.html(ex, 200, Html.page(group, "Ask to join", form("")));
        } else if (path.equals("/join") && method.equals("POST")) {
            Map<String, String> f = Exchanges.form(ex);
            try {
                Request r = store.ask(f.get("site"), f.get("contact"), clock.instant());
                Exchanges.redirect(ex, "/status/" + r.id());
            } catch (GroupRefusal refusal) {
                Exchanges.html(ex, 400, Html.page(group, "Ask to join", Html.error(refusal.getMessage()) + form(f.get("site"))));
                throw refusal.answered();
            }
        } else if (path.equals("/favicon.ico")) {
            Exchanges.send(ex, 204, "image/x-icon", new byte[0]);
        } else if (path.startsWith("/status/") && method.equals("GET")) {
            Request r = find(path.substring("/status/".length()));
            Exchanges.html(ex, 200, Html.page(group, "Request for " + r.site(), status(r)));
        } else if (path.startsWith("/bundle/") && method.equals("GET")) {
            Request r = find(path.substring("/bundle/".length()));
            if (r.status() != Status.APPROVED && r.status() != Status.ENROLLED) {
                throw new GroupRefusal("bundle-not-approved", "the request is not approved");
            }
            ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + group + "-bundle.json\"");
            Exchanges.send(ex, 200, "application/json", EnrolmentApi.JSON.writeValueAsBytes(bundle.get()));
        } else {
            throw new GroupRefusal("not-found", "no such page");
        }
    }

    private Request find(String id) throws GroupRefusal {
        FormChecks.handle(id, "request-id");
        return store.request(id).orElseThrow(() -> new GroupRefusal("not-found", "no such request"));
    }

    private String status(Request r) {
        String site = Html.escape(r.site());
        return switch (r.status()) {
            case PENDING -> "<p id=\"state\">pending</p><p>Your request to join as <b>" + site + "</b> waits for the "
                    + "administrator. Keep this page's address: it is the only way back to your request.</p>";
            case DENIED -> "<p id=\"state\">denied</p><p>The administrator denied this request.</p>";
            case ENROLLED -> "<p id=\"state\">enrolled</p><p>Site " + site + " has enrolled; its token is used up.</p>";
            case APPROVED -> {
                String token = token(r.token(), serverSha256);
                yield "<p id=\"state\">approved</p><p class=\"ok\">Approved. Your one-time enrolment token:</p>"
                        + "<p><code id=\"token\">" + Html.escape(token) + "</code></p>"
                        + "<p>On the site's node, as root:</p><pre>ringswitch enrol --server " + Html.escape(bundle.get().server())
                        + " --token " + Html.escape(token) + " --out /etc/ringswitch/" + site + "</pre>"
                        + "<p>The token works once, until " + java.time.Instant.ofEpochMilli(r.tokenExpiresAt())
                        + ". <a id=\"bundle\" href=\"/bundle/" + Html.escape(r.id()) + "\">Download the group's configuration "
                        + "bundle</a> (bootstrap endpoints, CA certificate, settings).</p>";
            }
        };
    }

    private static String form(String site) {
        return "<form method=\"post\" action=\"/join\"><p><label>Site name <input type=\"text\" name=\"site\" id=\"site\" value=\""
                + Html.escape(site) + "\" maxlength=\"64\" required></label></p>"
                + "<p><label>Contact <input type=\"text\" name=\"contact\" id=\"contact\" maxlength=\"200\" required></label></p>"
                + "<p><button type=\"submit\" id=\"ask\">Ask to join</button></p></form>"
                + "<p>A site name is 1 to 64 of A-Z a-z 0-9 . _ - and becomes the name of the site's certificate.</p>";
    }
}
