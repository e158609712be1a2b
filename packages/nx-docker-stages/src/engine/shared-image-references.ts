/**
 * Two projects whose builds tag the same image reference: each build replaces the other's image,
 * and the metadata.json of one names an image that is not its own. Pure: the projects' build
 * options in, the references they share out.
 */
import { imageReferences } from './build-argv';
import { ImageBuildOptions } from './image-build-options';

export interface ImageBuildOf {
  project: string;
  options: ImageBuildOptions;
}

/**
 * The references `ownRefs` of `project`'s build (imageReferences) that another project's build tags
 * too, each with that project (sorted). Builds whose options give no valid reference are left out.
 */
export function sharedImageReferences(project: string, ownRefs: string[], others: ImageBuildOf[]): Array<{ ref: string; project: string }> {
  const mine = new Set(ownRefs);
  const shared: Array<{ ref: string; project: string }> = [];
  for (const other of others) {
    if (other.project === project) continue;
    let refs: string[];
    try {
      refs = imageReferences(other.project, other.options);
    } catch {
      continue;
    }
    for (const ref of refs) if (mine.has(ref)) shared.push({ ref, project: other.project });
  }
  return shared.sort((a, b) => a.project.localeCompare(b.project) || a.ref.localeCompare(b.ref));
}
