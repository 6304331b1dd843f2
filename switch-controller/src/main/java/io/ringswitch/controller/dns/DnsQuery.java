package io.ringswitch.controller.dns;

import java.util.List;

/**
 * One DNS query as the responder needs it (RFC 1035 §4.1): its id and flags, its single question,
 * and where the question ends in the message (what an answer echoes).
 *
 * @param id            the query's id (§4.1.1), echoed in the answer
 * @param recursion     the RD bit, echoed
 * @param labels        the question's name, label by label, as sent (case kept)
 * @param type          QTYPE (§3.2.2, 1 = A, 28 = AAAA: RFC 3596)
 * @param qclass        QCLASS (1 = IN)
 * @param questionEnd   the offset just past the question in the message
 */
record DnsQuery(int id, boolean recursion, List<String> labels, int type, int qclass, int questionEnd) {
    static final int TYPE_A = 1;
    static final int TYPE_AAAA = 28;
    static final int CLASS_IN = 1;

    DnsQuery {
        labels = List.copyOf(labels);
    }
}
