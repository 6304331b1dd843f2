package io.ringswitch.overlay.group;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A guesser is locked out after five failures, for longer after each further one; others and time free it. */
class LoginThrottleTest {
    @Test
    void locksOutAGuesserAndDoublesTheLockout() throws Exception {
        AtomicLong now = new AtomicLong();
        LoginThrottle t = new LoginThrottle(now::get);
        for (int i = 0; i < LoginThrottle.FREE; i++) {
            t.check("10.0.0.1");
            t.failed("10.0.0.1");
        }
        assertThrows(GroupRefusal.class, () -> t.check("10.0.0.1"));
        assertDoesNotThrow(() -> t.check("10.0.0.2"));
        now.addAndGet(1000);
        t.check("10.0.0.1");
        t.failed("10.0.0.1");
        now.addAndGet(1500);
        assertThrows(GroupRefusal.class, () -> t.check("10.0.0.1"), "the second lockout lasts 2 s");
        now.addAndGet(500);
        t.check("10.0.0.1");
        t.succeeded("10.0.0.1");
        t.check("10.0.0.1");
    }
}
