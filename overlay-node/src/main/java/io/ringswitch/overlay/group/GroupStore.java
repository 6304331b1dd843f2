package io.ringswitch.overlay.group;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ringswitch.overlay.group.GroupState.Member;
import io.ringswitch.overlay.group.GroupState.Request;
import io.ringswitch.overlay.group.GroupState.Status;
import io.ringswitch.overlay.security.LocalFiles;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The group server's embedded store: join requests, members, the members' last reports of their
 * live peers and the administrator's password hash, in one JSON file that every change rewrites atomically, readable by its owner only
 * ({@link LocalFiles#write}), so a restart finds exactly what was last acknowledged. Methods are
 * synchronized: the HTTP handlers run on several threads.
 */
final class GroupStore {
    /** How long an approved request's token works. */
    static final Duration TOKEN_LIFETIME = Duration.ofDays(7);
    /** Most requests waiting at once: a flood of join requests must not grow the file without bound. */
    static final int MAX_PENDING = 500;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private GroupState state;

    private GroupStore(Path file, GroupState state) {
        this.file = file;
        this.state = state;
    }

    /** Opens the store in {@code file}, empty when the file does not exist yet. */
    public static GroupStore open(Path file) throws IOException {
        if (!Files.exists(file)) {
            GroupStore store = new GroupStore(file, GroupState.empty());
            store.save();
            return store;
        }
        try {
            return new GroupStore(file, JSON.readValue(file.toFile(), GroupState.class));
        } catch (IOException e) {
            throw new IOException(file + ": not a group server store (" + e.getMessage() + ")", e);
        }
    }

    public synchronized Optional<String> adminHash() {
        return Optional.ofNullable(state.adminHash());
    }

    /** Sets the administrator's password hash when none is set (first start); returns whether it did. */
    public synchronized boolean setAdminHashIfAbsent(String hash) throws IOException {
        if (state.adminHash() != null) {
            return false;
        }
        replace(new GroupState(hash, state.requests(), state.members(), state.crlNumber(), state.reports(), state.seenLive()));
        return true;
    }

    /** Records a request to join as {@code site}; refused when the name is taken or too many wait. */
    public synchronized Request ask(String site, String contact, Instant now) throws GroupRefusal, IOException {
        FormChecks.siteName(site);
        FormChecks.contact(contact);
        for (Request r : state.requests()) {
            if (r.site().equals(site) && r.status() != Status.DENIED) {
                throw new GroupRefusal("join-name-taken", "the site name " + site + " is already asked for or in use");
            }
        }
        if (pending().size() >= MAX_PENDING) {
            throw new GroupRefusal("join-too-many", "too many requests are waiting; try again later");
        }
        Request r = new Request(randomId(16), site, contact, now.toEpochMilli(), Status.PENDING, null, null, 0, 0);
        List<Request> all = new ArrayList<>(state.requests());
        all.add(r);
        replace(new GroupState(state.adminHash(), all, state.members(), state.crlNumber(), state.reports(), state.seenLive()));
        return r;
    }

    public synchronized Optional<Request> request(String id) {
        return state.requests().stream().filter(r -> r.id().equals(id)).findFirst();
    }

    public synchronized List<Request> pending() {
        return state.requests().stream().filter(r -> r.status() == Status.PENDING).toList();
    }

    public synchronized List<Request> requests() {
        return state.requests();
    }

    /** Approves a pending request: it gets a fresh one-time token, returned in the request. */
    public synchronized Request approve(String id, Instant now) throws GroupRefusal, IOException {
        String token = randomId(32);
        return decide(id, r -> r.with(Status.APPROVED, token, sha256(token),
                now.plus(TOKEN_LIFETIME).toEpochMilli(), now.toEpochMilli()));
    }

    public synchronized Request deny(String id, Instant now) throws GroupRefusal, IOException {
        return decide(id, r -> r.with(Status.DENIED, null, null, 0, now.toEpochMilli()));
    }

    private Request decide(String id, UnaryOperator<Request> change) throws GroupRefusal, IOException {
        Request r = request(id).orElseThrow(() -> new GroupRefusal("request-unknown", "no such request"));
        if (r.status() != Status.PENDING) {
            throw new GroupRefusal("request-decided", "request for " + r.site() + " was already " + r.status().name().toLowerCase());
        }
        Request changed = change.apply(r);
        updateRequest(changed);
        return changed;
    }

    /**
     * Finds the approved request {@code token} belongs to, without using it up; refused when the
     * token is unknown, used or expired.
     */
    public synchronized Request checkToken(String token, Instant now) throws GroupRefusal {
        String hash = sha256(token == null ? "" : token);
        for (Request r : state.requests()) {
            if (r.tokenSha256() != null && MessageDigest.isEqual(r.tokenSha256().getBytes(StandardCharsets.US_ASCII),
                    hash.getBytes(StandardCharsets.US_ASCII))) {
                if (r.status() == Status.ENROLLED) {
                    throw new GroupRefusal("token-used", "this enrolment token was used already; ask the administrator");
                }
                if (now.toEpochMilli() > r.tokenExpiresAt()) {
                    throw new GroupRefusal("token-expired", "this enrolment token expired; ask the administrator");
                }
                return r;
            }
        }
        throw new GroupRefusal("token-unknown", "no such enrolment token");
    }

    /**
     * Uses up {@code token} and records the member it enrols, in one step: two enrolments with
     * one token cannot both pass, the second finds it used.
     */
    public synchronized Member enrol(String token, String address, BigInteger serial, Instant notAfter, Instant now)
            throws GroupRefusal, IOException {
        Request r = checkToken(token, now);
        Member m = new Member(r.site(), r.id(), address, List.of(serial.toString(16)), notAfter.toEpochMilli(),
                now.toEpochMilli(), 0);
        List<Request> all = new ArrayList<>(state.requests());
        all.replaceAll(x -> x.id().equals(r.id()) ? x.with(Status.ENROLLED, null, x.tokenSha256(), x.tokenExpiresAt(),
                x.decidedAt()) : x);
        List<Member> members = new ArrayList<>(state.members());
        members.add(m);
        replace(new GroupState(state.adminHash(), all, members, state.crlNumber(), state.reports(), state.seenLive()));
        return m;
    }

    public synchronized Optional<Member> memberAt(String address) {
        return state.members().stream().filter(m -> m.address().equals(address)).findFirst();
    }

    public synchronized Optional<Member> member(String name) {
        return state.members().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public synchronized List<Member> members() {
        return state.members();
    }

    /** Records a renewed certificate of the member at {@code address}. */
    public synchronized Member renewed(String address, BigInteger serial, Instant notAfter, Instant now) throws IOException {
        return updateMember(address, m -> {
            List<String> serials = new ArrayList<>(m.serials());
            serials.add(serial.toString(16));
            return new Member(m.name(), m.requestId(), m.address(), serials, notAfter.toEpochMilli(), now.toEpochMilli(),
                    m.revokedAt());
        });
    }

    /** Marks member {@code name} revoked (once; a second revoke is refused). */
    public synchronized Member revoke(String name, Instant now) throws GroupRefusal, IOException {
        Member m = member(name).orElseThrow(() -> new GroupRefusal("member-unknown", "no such member"));
        if (m.revoked()) {
            throw new GroupRefusal("member-revoked", m.name() + " is already revoked");
        }
        Member r = new Member(m.name(), m.requestId(), m.address(), m.serials(), m.notAfter(), m.lastSeen(), now.toEpochMilli());
        List<Member> members = new ArrayList<>(state.members());
        members.replaceAll(x -> x.name().equals(name) ? r : x);
        replace(new GroupState(state.adminHash(), state.requests(), members, state.crlNumber(), state.reports(), state.seenLive()));
        return r;
    }

    /** Every serial of every revoked member, with when it was revoked: the CRL's entries. */
    public synchronized Map<BigInteger, Instant> revokedSerials() {
        Map<BigInteger, Instant> out = new LinkedHashMap<>();
        for (Member m : state.members()) {
            if (m.revoked()) {
                m.serials().forEach(s -> out.put(new BigInteger(s, 16), Instant.ofEpochMilli(m.revokedAt())));
            }
        }
        return out;
    }

    /** The number of the last CRL published, 0 before the first. */
    public synchronized long crlNumber() {
        return state.crlNumber();
    }

    /** The number for a CRL about to be published: one more than the last, kept across restarts (RFC 5280 §5.2.3). */
    public synchronized long nextCrlNumber() throws IOException {
        replace(new GroupState(state.adminHash(), state.requests(), state.members(), state.crlNumber() + 1, state.reports(),
                state.seenLive()));
        return state.crlNumber();
    }

    /**
     * Records the report of the member at {@code address}, shown with the certificate of serial
     * {@code serial}, that it has live links to {@code peers}: its own "last seen" becomes now, and
     * every other member it names is seen live now. Refused when no member has the address, the
     * member is revoked, the serial is not one issued to it, or {@code signedAt} is not later than
     * the last report accepted from it (a replay, also across restarts: the store keeps it).
     */
    public synchronized GroupState.Report report(String address, BigInteger serial, long signedAt, Duration freshFor,
                                                 List<String> peers, Instant now) throws GroupRefusal, IOException {
        Member m = memberAt(address).orElseThrow(() -> new GroupRefusal("report-not-member", "no member has this ring address"));
        if (m.revoked()) {
            throw new GroupRefusal("report-revoked", "member " + m.name() + " is revoked");
        }
        if (!m.serials().contains(serial.toString(16))) {
            throw new GroupRefusal("report-serial", "this certificate was not issued to member " + m.name());
        }
        GroupState.Report last = state.reports().get(address);
        if (last != null && signedAt <= last.signedAt()) {
            throw new GroupRefusal("report-replayed", "a report of " + m.name() + " no newer than the last one accepted");
        }
        long at = now.toEpochMilli();
        GroupState.Report r = new GroupState.Report(signedAt, at, freshFor.toMillis(), List.copyOf(peers));
        Map<String, GroupState.Report> reports = new LinkedHashMap<>(state.reports());
        reports.put(address, r);
        Map<String, Long> seen = new LinkedHashMap<>(state.seenLive());
        for (String peer : peers) {
            if (!peer.equals(address) && memberAt(peer).isPresent()) {
                seen.put(peer, at);
            }
        }
        List<Member> members = new ArrayList<>(state.members());
        members.replaceAll(x -> x.address().equals(address) ? new Member(x.name(), x.requestId(), x.address(), x.serials(),
                x.notAfter(), at, x.revokedAt()) : x);
        replace(new GroupState(state.adminHash(), state.requests(), members, state.crlNumber(), reports, seen));
        return r;
    }

    /** Every member's state from the ring's view now, by name ({@link RingView}). */
    public synchronized Map<String, RingView> ringView(Instant now) {
        Map<String, RingView> out = new LinkedHashMap<>();
        for (Member m : state.members()) {
            out.put(m.name(), RingView.of(state, m, now.toEpochMilli()));
        }
        return out;
    }

    private Member updateMember(String address, UnaryOperator<Member> change) throws IOException {
        Member m = memberAt(address).orElseThrow(() -> new IOException("no member at " + address));
        Member changed = change.apply(m);
        List<Member> members = new ArrayList<>(state.members());
        members.replaceAll(x -> x.address().equals(address) ? changed : x);
        replace(new GroupState(state.adminHash(), state.requests(), members, state.crlNumber(), state.reports(), state.seenLive()));
        return changed;
    }

    private void updateRequest(Request changed) throws IOException {
        List<Request> all = new ArrayList<>(state.requests());
        all.replaceAll(x -> x.id().equals(changed.id()) ? changed : x);
        replace(new GroupState(state.adminHash(), all, state.members(), state.crlNumber(), state.reports(), state.seenLive()));
    }

    /** Writes {@code next} to the file first, then holds it: a failed write changes nothing. */
    private void replace(GroupState next) throws IOException {
        GroupState was = state;
        state = next;
        try {
            save();
        } catch (IOException e) {
            state = was;
            throw e;
        }
    }

    private void save() throws IOException {
        LocalFiles.write(file, JSON.writeValueAsBytes(state), LocalFiles.OWNER_ONLY);
    }

    /** {@code bytes} random bytes, base64url without padding. */
    static String randomId(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
