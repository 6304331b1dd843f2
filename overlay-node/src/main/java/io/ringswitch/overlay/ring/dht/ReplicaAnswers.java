package io.ringswitch.overlay.ring.dht;

import io.ringswitch.overlay.ring.RingAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The answers several holders of one key gave one read, turned into the read's result. A claim
 * (a publisher's value) that two or more holders hold is what the read returns; when no claim is
 * held by two, every claim any holder gave (they disagree: a store went missing, or one of them
 * lies). Also tells whether the holders asked so far settle the read or whether the further
 * holders their answers name must be asked too: one holder alone, or one whose records all failed
 * the reader's checks (its clock is off, or it lies), or holders without a claim in common, do not
 * settle it. So a holder whose clock refuses a record cannot hide it from readers while another
 * holder keeps it, and a lying holder can add nothing that its publisher did not sign.
 */
final class ReplicaAnswers {
    /**
     * One holder's answer: who gave it, its result (values in the order of {@code opened}), the
     * records of it that passed the reader's checks (releases left out, {@code opened}; releases
     * in, {@code checked}), how many values it carried before the checks, and the holders it named.
     */
    record Answer(RingAddress holder, DhtResult result, List<DhtRecord> opened, List<ReadRepair.Copy> checked,
                  int carried, List<RingAddress> holders) {
        /** It carried records and not one passed the reader's checks. */
        boolean refusedAll() {
            return carried > 0 && checked.isEmpty();
        }
    }

    private ReplicaAnswers() {
    }

    /** Whether {@code answers} (of distinct holders) settle the read without asking the further holders they name. */
    static boolean settled(List<Answer> answers) {
        if (answers.size() < 2 || answers.stream().anyMatch(Answer::refusedAll)) {
            return false;
        }
        return answers.stream().allMatch(a -> a.opened().isEmpty()) || !heldByTwo(answers).isEmpty();
    }

    /** The further holders the answers name, none asked yet, at most {@code max}. */
    static List<RingAddress> further(List<Answer> answers, int max) {
        List<RingAddress> out = new ArrayList<>();
        for (Answer a : answers) {
            for (RingAddress h : a.holders()) {
                if (out.size() < max && !out.contains(h) && answers.stream().noneMatch(b -> b.holder().equals(h))) {
                    out.add(h);
                }
            }
        }
        return out;
    }

    /** The claims two or more answers hold, each once, with the value of the first answer that holds it. */
    static List<DhtValue> heldByTwo(List<Answer> answers) {
        return claims(answers, 2);
    }

    /** Every claim any answer holds, each once. */
    static List<DhtValue> all(List<Answer> answers) {
        return claims(answers, 1);
    }

    private static List<DhtValue> claims(List<Answer> answers, int least) {
        List<DhtRecord> seen = new ArrayList<>();
        List<DhtValue> out = new ArrayList<>();
        for (Answer a : answers) {
            for (int i = 0; i < a.opened().size(); i++) {
                DhtRecord record = a.opened().get(i);
                if (seen.stream().anyMatch(record::sameClaim)) {
                    continue;
                }
                seen.add(record);
                long holding = answers.stream().filter(b -> b.opened().stream().anyMatch(record::sameClaim)).count();
                if (holding >= least) {
                    out.add(a.result().values().get(i));
                }
            }
        }
        out.sort(DhtValue.BY_BYTES);
        return out;
    }

    /** What the holder that gave {@code answer} lacks of what the others gave ({@link ReadRepair#lacking}). */
    static List<ReadRepair.Copy> lacking(Answer answer, List<Answer> answers) {
        List<ReadRepair.Copy> others = new ArrayList<>();
        for (Answer b : answers) {
            if (b != answer) {
                others.addAll(b.checked());
            }
        }
        return ReadRepair.lacking(answer.checked(), others);
    }
}
