package org.texfarm.config;

import java.time.Duration;
import java.util.regex.Pattern;
import org.texfarm.ProjectKey;

/**
 * How long stored data lives and how much disk it may take.
 *
 * @param projectIdle          idle projects' compile directories, states and builds expire after this
 * @param urlCacheIdle         URL cache entries not used for this long expire
 * @param uploadLifetime       uploaded content not used in a compile for this long is forgotten
 * @param maxUploadBytes       largest upload ({@code PUT /project/:id/files/:hash})
 * @param diskMinFreeBytes     below this much free space, expiry tightens and compiles are refused
 * @param housekeepingInterval how often expiry and blob collection run
 * @param keepPattern          further generated files kept between compiles (regex over paths), or null
 * @param playground           the playground, whose projects expire after an idle time of their own
 */
public record StorageLimits(
        Duration projectIdle,
        Duration urlCacheIdle,
        Duration uploadLifetime,
        long maxUploadBytes,
        long diskMinFreeBytes,
        Duration housekeepingInterval,
        Pattern keepPattern,
        PlaygroundSettings playground) {

    /** How long this project may stay idle before it expires: the playground's expire sooner. */
    public Duration idleLimitOf(ProjectKey project) {
        return playground.owns(project.projectId()) ? playground.projectIdle() : projectIdle;
    }
}
