/**
 * Scheduled jobs and asynchronous callers: a job every node fires that runs on one node per
 * interval ({@code cooldown} + {@code tryRun}, the library's counterpart of ShedLock's {@code
 * lockAtLeastFor}), and a {@code CompletionStage} pipeline that waits for a held lock without a
 * thread ({@code callAsync}).
 */
@NullMarked
package dev.concurrencysafe.examples.jobs;

import org.jspecify.annotations.NullMarked;
