/**
 * The model's one way to say a workspace file is wrong: an error that names the file (and, in its
 * message, the fix). The model throws it when it cannot go on, and lists it in `problems` when the
 * rest of the workspace can; the Nx adapter charges it to that file (createNodes' per-file
 * errors), the generators print the messages.
 */
export class WorkspaceFileError extends Error {
  constructor(
    /** Workspace-relative path of the file at fault. */
    readonly file: string,
    /** For people: starts with the file, says what is wrong and how to fix it. */
    message: string,
  ) {
    super(message);
    this.name = 'WorkspaceFileError';
  }
}
