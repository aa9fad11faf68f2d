package org.texfarm;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which compile directory a request works on: a project, or one user's copy of it. The two kinds
 * live under different roots ({@code p/<project>} and {@code u/<project>/<user>}), so no project
 * id can name another project's or user's directory.
 *
 * @param projectId the project, {@code ^[a-zA-Z0-9_-]{1,128}$}
 * @param userId    the user, 24 hex characters, or null for the project's own directory
 */
public record ProjectKey(String projectId, String userId) {
    private static final Pattern PROJECT_ID = Pattern.compile("[a-zA-Z0-9_-]{1,128}");
    private static final Pattern USER_ID = Pattern.compile("[a-fA-F0-9]{24}");

    public ProjectKey {
        Objects.requireNonNull(projectId, "projectId");
        if (!PROJECT_ID.matcher(projectId).matches()) {
            throw new InvalidRequestException("invalid project id '" + abbreviate(projectId)
                    + "': use 1 to 128 letters, digits, '_' or '-'");
        }
        if (userId != null && !USER_ID.matcher(userId).matches()) {
            throw new InvalidRequestException("invalid user id '" + abbreviate(userId) + "': use 24 hex characters");
        }
    }

    public static ProjectKey of(String projectId, String userId) {
        return new ProjectKey(projectId, userId);
    }

    /** The directory of this key below a storage root, e.g. {@code p/abc} or {@code u/abc/0123...}. */
    public String relativeDirectory() {
        return userId == null ? "p/" + projectId : "u/" + projectId + "/" + userId;
    }

    /** The URL path prefix of this key, e.g. {@code /project/abc} or {@code /project/abc/user/0123...}. */
    public String urlPrefix() {
        return userId == null ? "/project/" + projectId : "/project/" + projectId + "/user/" + userId;
    }

    @Override
    public String toString() {
        return userId == null ? projectId : projectId + "/" + userId;
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
