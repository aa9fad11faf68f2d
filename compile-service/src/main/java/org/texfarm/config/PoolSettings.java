package org.texfarm.config;

import java.time.Duration;

/**
 * The warm sandbox pool.
 *
 * @param size      pre-started containers kept per image while compiles come
 * @param minimum   pre-started containers kept after {@code idleAfter} without a compile
 * @param idleAfter how long without a compile before the pool shrinks to {@code minimum}
 */
public record PoolSettings(int size, int minimum, Duration idleAfter) {
}
