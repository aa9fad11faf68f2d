package org.texfarm.sync;

/** How a request's resources relate to the project: all of them, or only those that changed. */
public enum SyncType {
    /** The resources are the whole project; anything else in the directory is stale. */
    FULL,
    /** The resources are what changed since the last full sync with the same sync state. */
    INCREMENTAL
}
