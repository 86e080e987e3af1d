"""Python threads: libvs's per-thread scope stacks and the graph's shared
store, with the GIL released around libvs calls (no deadlock when one
thread blocks in libvs while another holds a runtime lock in a callback)."""
import threading

import vstrace.tf as tf


def test_towers_in_threads_share_through_reuse():
    g = tf.get_default_graph()
    errors, got = [], {}
    with tf.variable_scope("shared"):
        base = tf.get_variable("w", [3])

    def tower(i):
        try:
            with g.as_default():
                # a new thread starts at the root scope: it must re-enter
                with tf.variable_scope("shared", reuse=True):
                    got[i] = tf.get_variable("w", [3])
                with tf.variable_scope("tower_%d" % i):
                    tf.get_variable("own", [1])
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
    threads = [threading.Thread(target=tower, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(v is base for v in got.values()) and len(got) == 4
    assert sorted(v.name for v in tf.global_variables()) == [
        "shared/w:0", "tower_0/own:0", "tower_1/own:0", "tower_2/own:0", "tower_3/own:0"]


def test_getter_callbacks_from_many_threads():
    barrier = threading.Barrier(3)
    names = []

    def getter(getter, name, *args, **kwargs):
        names.append(name)
        return getter(name, *args, **kwargs)

    def work(i):
        barrier.wait()
        for k in range(50):
            with tf.variable_scope("t%d" % i, custom_getter=getter, reuse=tf.AUTO_REUSE):
                tf.get_variable("v%d" % (k % 5), [2])
    g = tf.get_default_graph()

    def run(i):
        with g.as_default():
            work(i)
    ts = [threading.Thread(target=run, args=(i,)) for i in range(3)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert len(names) == 150
    assert len(tf.global_variables()) == 15
