package dev.concurrencysafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's build with Error Prone rejects a dropped setter result ({@code spec.cooldown(d);} does
 * nothing since specs are immutable), because {@link LockSpec} is {@code @CheckReturnValue}. Each
 * case runs a real javac (a child process) with Error Prone on the processor path, against the
 * compiled API, exactly as an application would compile.
 */
class DroppedSpecIsFlaggedTest {

  @TempDir Path dir;

  @Test
  void aSetterWithoutAVerbIsACompileError() throws Exception {
    Compilation result =
        compile(
            """
        package app;
        import dev.concurrencysafe.Locks;
        import java.time.Duration;
        class Snippet {
          void refresh() {
            Locks.with("lock:refresh").cooldown(Duration.ofMinutes(10));
          }
        }
        """);
    assertEquals(1, result.exitCode(), result.output());
    assertTrue(
        result.output().contains("Snippet.java:6: error: [CheckReturnValue]"), result.output());
  }

  @Test
  void usingTheResultOrCallingAVerbCompilesCleanly() throws Exception {
    Compilation result =
        compile(
            """
        package app;
        import dev.concurrencysafe.LockSpec;
        import dev.concurrencysafe.Locks;
        import java.time.Duration;
        class Snippet {
          void refresh() {
            LockSpec base = Locks.with("lock:refresh");
            LockSpec later = base.cooldown(Duration.ofMinutes(10));
            later.run(() -> {});
            base.call(() -> 42); // call's result may be dropped: the body did its work
          }
        }
        """);
    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().isBlank(), result.output());
  }

  private record Compilation(int exitCode, String output) {}

  private Compilation compile(String source) throws IOException, InterruptedException {
    Path file = dir.resolve("Snippet.java");
    Files.writeString(file, source);
    Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
    List<String> command = new ArrayList<>(List.of(javac.toString()));
    for (String pkg :
        List.of("api", "file", "main", "model", "parser", "processing", "tree", "util")) {
      command.add("-J--add-exports=jdk.compiler/com.sun.tools.javac." + pkg + "=ALL-UNNAMED");
    }
    command.add("-J--add-opens=jdk.compiler/com.sun.tools.javac.code=ALL-UNNAMED");
    command.add("-J--add-opens=jdk.compiler/com.sun.tools.javac.comp=ALL-UNNAMED");
    String classPath = System.getProperty("java.class.path");
    command.addAll(
        List.of(
            "-XDcompilePolicy=simple",
            "--should-stop=ifError=FLOW",
            "-processorpath",
            classPath,
            "-Xplugin:ErrorProne",
            // the API and its annotations, as an application's compile class path has them
            "-cp",
            classPath,
            "-d",
            dir.resolve("classes").toString(),
            file.toString()));
    Process javacProcess = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try {
      output = new String(javacProcess.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(javacProcess.waitFor(120, TimeUnit.SECONDS), "javac did not finish");
    } finally {
      javacProcess.destroyForcibly();
    }
    return new Compilation(javacProcess.exitValue(), output);
  }
}
