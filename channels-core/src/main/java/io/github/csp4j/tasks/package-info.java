/**
 * Task scopes: structured concurrency on virtual threads. {@link io.github.csp4j.tasks.TaskScope}
 * runs tasks that never outlive it; by default
 * ({@link io.github.csp4j.tasks.TaskScope.Policy#FAIL_FAST FAIL_FAST}) it cancels the siblings
 * when one fails and reports every failure, and its other
 * {@linkplain io.github.csp4j.tasks.TaskScope.Policy policies} race tasks or supervise them.
 */
package io.github.csp4j.tasks;
