package dev.concurrencysafe.kotlin

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * A caller compiling with Kotlin's return-value checker (`-Xreturn-value-checker=check`) gets a
 * dropped spec flagged, both for [KotlinLockSpec] (this module is compiled in `full` mode) and for
 * the Java `LockSpec` (`@CheckReturnValue`). Each case runs a real kotlinc in a child process
 * against the compiled module, as an application's build would.
 */
class DroppedSpecIsFlaggedTest {

    @TempDir
    lateinit var dir: Path

    @Test
    fun aSetterWithoutAVerbIsFlaggedForKotlinAndJavaSpecs() {
        val output = compile(
            """
            import dev.concurrencysafe.Locks
            import dev.concurrencysafe.kotlin.lock
            import kotlin.time.Duration.Companion.seconds

            fun dropped() {
                lock("k").cooldown(1.seconds)
                Locks.with("k").cooldown(java.time.Duration.ofSeconds(1))
            }
            """,
        )
        assertTrue(output.contains("Snippet.kt:6:15: warning: unused return value of 'cooldown'"), output)
        assertTrue(output.contains("Snippet.kt:7:21: warning: unused return value of 'cooldown'"), output)
    }

    @Test
    fun aSpecWhoseResultIsUsedCompilesWithoutAWarning() {
        val output = compile(
            """
            import dev.concurrencysafe.kotlin.lock
            import kotlin.time.Duration.Companion.seconds

            fun used() {
                val base = lock("k")
                val later = base.cooldown(1.seconds)
                later.run { }
            }
            """,
        )
        // the JVM may print its own warnings (JDK 25: restricted and Unsafe methods kotlinc calls)
        assertFalse(output.contains("Snippet.kt"), output)
    }

    private fun compile(source: String): String {
        val file = dir.resolve("Snippet.kt")
        Files.writeString(file, source.trimIndent())
        val classPath = System.getProperty("java.class.path")
        val java = Path.of(System.getProperty("java.home"), "bin", "java").toString()
        val process = ProcessBuilder(
            java, "-cp", classPath, "org.jetbrains.kotlin.cli.jvm.K2JVMCompiler",
            "-no-stdlib", "-no-reflect", "-jvm-target", "17", "-Xreturn-value-checker=check",
            "-cp", classPath, "-d", dir.resolve("classes").toString(), file.toString(),
        ).redirectErrorStream(true).start()
        try {
            val output = process.inputStream.readBytes().toString(Charsets.UTF_8)
            assertTrue(process.waitFor(180, TimeUnit.SECONDS), "kotlinc did not finish")
            assertEquals(0, process.exitValue(), output)
            return output
        } finally {
            process.destroyForcibly()
        }
    }
}
