package org.texfarm.compile;

import java.util.List;
import org.texfarm.sync.ResourcePath;

/**
 * One validated compile request.
 *
 * @param project   the compile directory it works on
 * @param options   how to compile
 * @param root      the main file, one of the resources
 * @param resources every file of the project
 */
public record CompileRequest(ProjectKey project, CompileOptions options, ResourcePath root, List<Resource> resources) {
    public CompileRequest {
        resources = List.copyOf(resources);
    }
}
