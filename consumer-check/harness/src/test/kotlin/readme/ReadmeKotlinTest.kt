package readme

import dev.concurrencysafe.LockManager
import dev.concurrencysafe.Locks
import dev.concurrencysafe.test.RealRedisExtension
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.extension.ExtendWith

/** The README's Kotlin block, run as printed on a real Redis through Locks' default manager. */
@ExtendWith(RealRedisExtension::class)
class ReadmeKotlinTest {

    @Test
    fun theBlockTakesOneCouponAndClaimsSuspending(locks: LockManager) {
        Locks.setDefault(locks)
        val coupons = mutableMapOf("c1" to 3)
        val readme = ReadmeKotlin("c1", coupons)
        assertEquals(2, readme.left)
        assertEquals("claimed x", runBlocking { readme.claim("x") })

        locks.with("lock:coupon:c1").acquire().use {
            assertThrows(dev.concurrencysafe.ConcurrencyException::class.java) {
                ReadmeKotlin("c1", coupons)
            }
        }
        assertEquals(2, coupons["c1"], "the refused call did not take a coupon")
    }
}
