/**
 * The user every runtime stage runs as. Numeric, so Kubernetes' runAsNonRoot can verify it;
 * 65532 is distroless's `nonroot`.
 */
export const NON_ROOT_USER = '65532:65532';
