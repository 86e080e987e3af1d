#!/bin/sh
# t5100-cxx-header.sh: the public headers compile as C++ (C++11 and C++17,
# with g++ and clang++ when installed, -Wall -Wextra -pedantic -Werror) and
# a C++ program links against libvs and runs (tests/cxx/header_test.cpp)
. "$(dirname "$0")/lib.sh"
[ -f "$B/libvs.a" ] || { echo "FAIL $B/libvs.a is not built"; exit 1; }

want='foo/v:0 (2, 3)
foo/w:0 (4,)
foo/c:0 ()
ValueError: Variable foo/v already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally defined at:'
# a sanitizer build (B = build/san-address-undefined, ...) links its runtime:
# the same flags, and only g++ (its runtime is gcc's)
SANFLAGS=
cxxs="${CXX:-} g++ clang++"
case ${B##*/} in san-*)
	SANFLAGS="-fsanitize=$(echo "${B##*/san-}" | tr - ,)"
	cxxs=g++ ;;
esac
ran=0
for cxx in $cxxs; do
	command -v "$cxx" >/dev/null 2>&1 || continue
	for std in c++11 c++17; do
		ran=1
		name="$cxx -std=$std"
		"$cxx" -std=$std -Wall -Wextra -pedantic -Werror $SANFLAGS -I"$SRC/include" -o prog \
			"$SRC/tests/cxx/header_test.cpp" "$B/libvs.a" -lpthread -lrt 2>cc.err ||
			{ fail "$name: does not compile"; cat cc.err; continue; }
		./prog > prog.out 2>&1
		check "$name: output" "$(head -n 4 prog.out)" "$want"
	done
done
[ "$ran" = 1 ] || fail "no C++ compiler found (install g++)"
t_done
