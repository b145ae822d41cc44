/**
 * Task scopes: structured concurrency on virtual threads. {@link io.github.csp4j.tasks.TaskScope}
 * runs tasks that never outlive it, cancels siblings when one fails, and reports every failure.
 */
package io.github.csp4j.tasks;
