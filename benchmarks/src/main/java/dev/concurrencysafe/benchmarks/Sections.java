package dev.concurrencysafe.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Sections that other commands write into docs/benchmarks.md (the HTTP run, the fleet runs): each
 * lives in its own file and is copied between its markers, so regenerating the main tables keeps
 * them and rerunning a section replaces only that section.
 *
 * <p>Thread-safety: stateless; one writer at a time per directory.
 */
final class Sections {

  private Sections() {}

  /** Splices every {@code benchmarks-fleet-*.md} of {@code out}, in name order. */
  static void spliceFleet(Path out) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> found = Files.newDirectoryStream(out, "benchmarks-fleet-*.md")) {
      found.forEach(files::add);
    }
    files.sort(null);
    for (Path file : files) {
      String name = file.getFileName().toString();
      String id = name.substring(0, name.length() - ".md".length());
      splice(out, name, "<!-- " + id + ":start -->", "<!-- " + id + ":end -->");
    }
  }

  /**
   * Replaces (or appends) the section between {@code start} and {@code end} in {@code
   * out/benchmarks.md} with the content of {@code out/file}; nothing happens if that file is
   * absent.
   */
  static void splice(Path out, String file, String start, String end) throws IOException {
    Path section = out.resolve(file);
    if (!Files.exists(section)) {
      return;
    }
    String body = start + "\n" + Files.readString(section, StandardCharsets.UTF_8) + end + "\n";
    Path doc = out.resolve("benchmarks.md");
    String md = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "";
    int from = md.indexOf(start);
    int to = md.indexOf(end);
    String spliced =
        from >= 0 && to > from
            ? md.substring(0, from) + body + md.substring(to + end.length()).replaceFirst("^\n", "")
            : md + (md.isEmpty() || md.endsWith("\n\n") ? "" : "\n") + body;
    Files.writeString(doc, spliced, StandardCharsets.UTF_8);
  }
}
