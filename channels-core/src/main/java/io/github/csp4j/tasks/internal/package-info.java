/**
 * The implementation of task scopes; not exported. {@link io.github.csp4j.tasks.internal.DefaultTaskScope}
 * runs the tasks, {@link io.github.csp4j.tasks.internal.DefaultTask} records how each ended.
 */
package io.github.csp4j.tasks.internal;
