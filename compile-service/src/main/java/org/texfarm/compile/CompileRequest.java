package org.texfarm.compile;

import java.util.List;
import org.texfarm.ProjectKey;
import org.texfarm.sync.Resource;
import org.texfarm.sync.ResourcePath;
import org.texfarm.sync.SyncType;

/**
 * One validated compile request.
 *
 * @param project   the compile directory it works on
 * @param options   how to compile
 * @param root      the main file
 * @param syncType  whether {@code resources} are the whole project or what changed
 * @param syncState the client's opaque project state, or null
 * @param resources the project's files (or the changed ones)
 */
public record CompileRequest(ProjectKey project, CompileOptions options, ResourcePath root, SyncType syncType,
                             String syncState, List<Resource> resources) {
    public CompileRequest {
        resources = List.copyOf(resources);
    }

    /** The same request for another main file. */
    public CompileRequest withRoot(ResourcePath otherRoot) {
        return new CompileRequest(project, options, otherRoot, syncType, syncState, resources);
    }
}
