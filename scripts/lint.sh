#!/bin/sh
# Rejects the functions STYLE.md bans on input paths (habit 7) in src/, and
# absolute paths of a build machine in tracked files. Exit 1 on a finding.
cd "$(dirname "$0")/.." || exit 2
status=0
if git grep -nI -E '\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atoll|sscanf)[[:space:]]*\(' \
	-- 'src/*.c' 'src/*.h'; then
	echo "lint: banned function in src/ (use the capped buffers and checked parsers)" >&2
	status=1
fi
if git grep -nI -E '"/(home|root|work)/' -- 'src/*' 'tests/*' 'bench/*' 'fuzz/*'; then
	echo "lint: an absolute path of a machine in the sources" >&2
	status=1
fi
exit $status
