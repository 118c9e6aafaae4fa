#!/usr/bin/env bash
# The review half of the scheduled sync (GitHub's sync.yml and GitLab's sync
# job): sync the feeds that need review onto the EXISTING branch hub/sync and
# push it without force, so the caption edits comms made on the pull request
# stay. main's news reaches the branch by a merge; where main and the branch
# changed the same lines, the branch (comms' edit) wins the hunk.
#
#   scripts/sync-branch.sh [REMOTE] [BASE] [BRANCH]   (origin main hub/sync)
#
# HUB_SYNC_CMD is the sync to run (default: advocacy-hub sync $HUB_SYNC_FEEDS).
# Prints changed=true|false on the last line for the caller.
set -euo pipefail
remote="${1:-origin}"
base="${2:-main}"
branch="${3:-hub/sync}"
sync_cmd="${HUB_SYNC_CMD:-advocacy-hub sync ${HUB_SYNC_FEEDS:-}}"

git fetch --quiet "$remote" "$base"
existed=false
if git ls-remote --exit-code --heads "$remote" "$branch" >/dev/null; then
  existed=true
  git fetch --quiet "$remote" "$branch"
  git checkout --quiet -B "$branch" "$remote/$branch"
  if ! git merge --quiet --no-edit -X ours "$remote/$base" -m "Merge $base into $branch"; then
    echo "::error::$branch and $base conflict beyond what a merge resolves; merge $base into $branch by hand" >&2
    git merge --abort || true
    exit 1
  fi
else
  git checkout --quiet -B "$branch" "$remote/$base"
fi

sync_status=0
sh -c "$sync_cmd" || sync_status=$?

git add --all
if git diff --cached --quiet; then
  changed=false
else
  git commit --quiet -m "Sync feeds: new and changed posts"
  changed=true
fi
# push new posts, or main merged into an existing branch; never --force
if [ "$changed" = true ] || { [ "$existed" = true ] && [ "$(git rev-parse HEAD)" != "$(git rev-parse "$remote/$branch")" ]; }; then
  git push --quiet "$remote" "HEAD:refs/heads/$branch"
fi
echo "changed=$changed"
exit "$sync_status"
