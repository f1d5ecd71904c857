# Single source of truth for building the edge-node base images: context, Dockerfile, platform,
# tags, labels and build cache. CI (.github/workflows/base_edge_node_amd64_*.yaml, through
# docker/bake-action) and the manual scripts (build-and-push-amd64-*.sh, through
# `docker buildx bake`) build these targets, so both produce the same images by construction.
#
# Variables are set from the environment of the same name:
#   IMAGE_REPO      repository to tag (default naeural/edge_node)
#   CPU_IMAGE_TAG   moving tag of the CPU image (default base-amd64-cpu)
#   GPU_IMAGE_TAG   moving tag of the GPU image (default base-amd64-gpu)
#   VCS_REF         git commit; when set, the build is tagged <tag>-<VCS_REF> (the candidate that
#                   retag_and_push.sh promotes to <tag> and <tag>-<date> after the image tests)
#   BUILD_DATE      RFC 3339 time for the org.opencontainers.image.created label
#   CACHE_BACKEND   gha (GitHub Actions cache), registry (<repo>:buildcache-<image>) or none
#   CACHE_EXPORT    "true" to write the cache (trusted builds only), anything else to only read it
#
# Version pins live in the Dockerfiles (ARG defaults) and requirements files, not here, so that a
# plain `docker build` of a Dockerfile gives the same image too.

variable "IMAGE_REPO" {
  default = "naeural/edge_node"
}

variable "CPU_IMAGE_TAG" {
  default = "base-amd64-cpu"
}

variable "GPU_IMAGE_TAG" {
  default = "base-amd64-gpu"
}

variable "VCS_REF" {
  default = ""
}

variable "BUILD_DATE" {
  default = ""
}

variable "CACHE_BACKEND" {
  default = "registry"
}

variable "CACHE_EXPORT" {
  default = "false"
}

# The tag a build pushes: <tag>-<commit> when the commit is known, else the moving tag itself.
function "candidate" {
  params = [tag]
  result = VCS_REF != "" ? "${IMAGE_REPO}:${tag}-${VCS_REF}" : "${IMAGE_REPO}:${tag}"
}

# One cache per image (gha scope or registry ref), so the two images never overwrite each other's
# cache. Reads cover both images: python-builder and apt-keys are identical in the two
# Dockerfiles, so either image's cache can serve the other's first build.
function "cache_from" {
  params = [image, other]
  result = (CACHE_BACKEND == "gha"
    ? ["type=gha,scope=edge-node-${image}", "type=gha,scope=edge-node-${other}"]
    : CACHE_BACKEND == "registry"
    ? ["type=registry,ref=${IMAGE_REPO}:buildcache-${image}", "type=registry,ref=${IMAGE_REPO}:buildcache-${other}"]
  : [])
}

# Written only by trusted builds (CACHE_EXPORT=true). mode=max keeps the builder stages (the
# CPython PGO build, FFmpeg); ignore-error keeps a cache-service hiccup from failing a good build.
function "cache_to" {
  params = [image]
  result = (CACHE_EXPORT != "true"
    ? []
    : CACHE_BACKEND == "gha"
    ? ["type=gha,scope=edge-node-${image},mode=max,ignore-error=true"]
    : CACHE_BACKEND == "registry"
    ? ["type=registry,ref=${IMAGE_REPO}:buildcache-${image},mode=max,ignore-error=true"]
  : [])
}

target "_common" {
  context   = "."
  platforms = ["linux/amd64"]
  labels = {
    "org.opencontainers.image.revision" = VCS_REF
    "org.opencontainers.image.created"  = BUILD_DATE
  }
}

target "cpu" {
  inherits   = ["_common"]
  dockerfile = "base_edge_node_amd64_cpu/Dockerfile"
  tags       = [candidate(CPU_IMAGE_TAG)]
  cache-from = cache_from("cpu", "gpu")
  cache-to   = cache_to("cpu")
}

target "gpu" {
  inherits   = ["_common"]
  dockerfile = "base_edge_node_amd64_gpu/Dockerfile"
  tags       = [candidate(GPU_IMAGE_TAG)]
  cache-from = cache_from("gpu", "cpu")
  cache-to   = cache_to("gpu")
}

group "default" {
  targets = ["cpu", "gpu"]
}
