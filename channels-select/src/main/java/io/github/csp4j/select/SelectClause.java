package io.github.csp4j.select;

/**
 * One alternative of a {@linkplain Select#select select}: a receive, a send, a timeout or the
 * default, with the callback that makes its result. Made by the factories of {@link Select};
 * immutable, so a clause may be used in any number of selects, by any number of threads.
 *
 * @param <R> the type of the callback's result
 */
public sealed interface SelectClause<R> permits Clause {}
