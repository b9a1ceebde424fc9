package readme

import dev.concurrencysafe.kotlin.callSuspending
import dev.concurrencysafe.kotlin.lock
import kotlin.time.Duration.Companion.seconds

/** The README's Kotlin block as the body of a class: its vals run when the class is built. */
class ReadmeKotlin(private val couponId: String, private val coupons: MutableMap<String, Int>) {

    private fun takeOne(id: String): Int? = coupons.computeIfPresent(id) { _, left -> left - 1 }

    private suspend fun claimAsync(id: String): String {
        kotlinx.coroutines.yield()
        return "claimed $id"
    }

//README-BLOCK
}
