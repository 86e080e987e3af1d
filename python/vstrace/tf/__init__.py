"""vstrace.tf: the graph-construction subset of TensorFlow 1.15 (and of
tf.compat.v1) over libvs.  `import vstrace.tf as tf`, or run a script with
`python3 -m vstrace.run train.py`, which makes `import tensorflow` resolve
here.  See docs/python.md for what is modelled and what is out of scope."""

import sys as _sys
import types as _types
import warnings as _warnings

from . import _core, _dtypes, _init, _ops
from ._core import (AUTO_REUSE, Graph, GraphKeys, GradientTape, Operation, Tensor, Variable,
                    VariableAggregation, VariableScope, VariableSynchronization,
                    VariableV1, add_to_collection, add_to_collections, all_variables,
                    control_dependencies, convert_to_tensor, disable_eager_execution,
                    disable_v2_behavior, enable_eager_execution, enable_resource_variables,
                    enable_v2_behavior, executing_eagerly, get_collection, get_collection_ref,
                    get_default_graph, get_local_variable, get_name_scope, get_variable,
                    get_variable_scope, global_variables, init_scope, local_variables,
                    model_variables, moving_average_variables, name_scope, reset_default_graph,
                    trainable_variables, variable_creator_scope, variable_op_scope,
                    variable_scope)
from ._dtypes import (DType, Dimension, TensorShape, as_dtype, bfloat16, bool_ as bool,
                      complex64, complex128, double, float16, float32, float64, half, int8,
                      int16, int32, int64, qint8, qint32, quint8, resource, string, uint8,
                      uint16, uint32, uint64, variant)
from ._init import (constant_initializer, glorot_normal_initializer, glorot_uniform_initializer,
                    ones_initializer, orthogonal_initializer, random_normal_initializer,
                    random_uniform_initializer, truncated_normal_initializer,
                    uniform_unit_scaling_initializer, variance_scaling_initializer,
                    zeros_initializer, fixed_size_partitioner, min_max_variable_partitioner,
                    variable_axis_size_partitioner)
from ._ops import *  # noqa: F401,F403  (the op functions)
from ._ops import range_ as range, slice_ as slice, tuple_ as tuple  # noqa: A001

__version__ = "1.15.0"
VERSION = __version__
GIT_VERSION = "vstrace"
newaxis = None
Module = object

Variable = VariableV1
eager_mode = _core.eager_mode
graph_mode = _core.graph_mode
name_scope_v1 = name_scope


# ------------------------------------------------------------- control flow
def _flatten(x):
    if isinstance(x, (list, _sys.modules["builtins"].tuple)):
        out = []
        for i in x:
            out.extend(_flatten(i))
        return out
    if isinstance(x, dict):
        out = []
        for k in sorted(x):
            out.extend(_flatten(x[k]))
        return out
    return [x]


def _pack(structure, flat):
    it = iter(flat)

    def rec(s):
        if isinstance(s, (list, _sys.modules["builtins"].tuple)):
            vals = [rec(i) for i in s]
            if hasattr(s, "_fields"):  # namedtuple (LSTMStateTuple)
                return type(s)(*vals)
            return type(s)(vals)
        if isinstance(s, dict):
            return {k: rec(s[k]) for k in sorted(s)}
        return next(it)
    return rec(structure)


def _like(x, type_, name):
    if isinstance(x, (Tensor, Variable)):
        t = convert_to_tensor(x)
        return _core._op(type_, [t], name, type_, t.shape, t.dtype)
    return x


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """tf.cond in graph mode: both branches are built, each once, in a cond
    context (libvs vs_cond) under the name scope "cond"."""
    true_fn = true_fn or fn1
    false_fn = false_fn or fn2
    if not callable(true_fn):
        raise TypeError("true_fn must be callable.")
    if not callable(false_fn):
        raise TypeError("false_fn must be callable.")
    if executing_eagerly():
        return true_fn() if getattr(pred, "_value", pred) else false_fn()
    with name_scope(name, "cond", [pred]):
        with _core._CondCM():
            rt = true_fn()
        with _core._CondCM():
            rf = false_fn()
        if rt is None:
            return None
        out = [_like(x, "Merge", "Merge") for x in _flatten(rt)]
        res = _pack(rt, out)
        return res


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else pred_fn_pairs
    with name_scope(name, "case"):
        res = None
        for p, fn in pairs:
            with _core._CondCM():
                r = fn()
                res = r if res is None else res
        if default is not None:
            with _core._CondCM():
                r = default()
                res = r if res is None else res
        return res


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, name=None, maximum_iterations=None,
               return_same_structure=False):
    """tf.while_loop in graph mode: cond and body are each called once on
    the loop variables inside a while context (libvs vs_while_loop)."""
    if not callable(cond):
        raise TypeError("cond must be callable.")
    if not callable(body):
        raise TypeError("body must be callable.")
    single = not isinstance(loop_vars, (list, _sys.modules["builtins"].tuple))
    lv = [loop_vars] if single else loop_vars
    if executing_eagerly():
        out = body(*lv)
        return out
    with name_scope(name, "while", _flatten(lv)):
        flat = _flatten(lv)
        with _core._WhileCM():
            entered = [_like(x, "Enter", "Enter") for x in flat]
            vars_in = _pack(lv, entered)
            cond(*vars_in)
            out = body(*vars_in)
        if not isinstance(out, (list, _sys.modules["builtins"].tuple)) or (
                len(lv) == 1 and hasattr(lv[0], "_fields")):
            out = [out]
        exits = [_like(x, "Exit", "Exit") for x in _flatten(out)]
        res = _pack(list(out) if not hasattr(out, "_fields") else out, exits)
    if (single or len(lv) == 1) and not return_same_structure:
        return res[0]
    return res


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True,
           swap_memory=False, infer_shape=True, name=None):
    with name_scope(name, "map"):
        e = convert_to_tensor(_flatten(elems)[0])
        with _core._WhileCM():
            elem = _core._op("TensorArrayReadV3", [e], None, "TensorArrayReadV3", e.shape[1:],
                             e.dtype)
            r = fn(elem)
        rt = convert_to_tensor(_flatten(r)[0]) if r is not None else e
        return _core._op("TensorArrayGatherV3", [rt], None, "TensorArrayStack",
                         TensorShape([e.shape[0].value]).concatenate(rt.shape), rt.dtype)


def identity(input, name=None):
    t = convert_to_tensor(input)
    return _core._op("Identity", [t], name, "Identity", t.shape, t.dtype)


# --------------------------------------------------------------- templates
class Template(object):
    """make_template's result (graph Template, or EagerTemplate when eager)."""

    def __init__(self, name, func, create_scope_now, unique_name, custom_getter, kwargs):
        import functools
        fn = functools.partial(func, **kwargs) if kwargs else func
        self._func = func
        self._h = _core._vs.make_template(name, fn, 1 if create_scope_now else 0, unique_name,
                                          _core._getter_arg(custom_getter))

    def __call__(self, *args, **kwargs):
        return _core._vs.template_call(self._h, args, kwargs or None)

    @property
    def name(self):
        return _core._vs.template_info(self._h)[0]

    @property
    def variable_scope(self):
        h = _core._vs.template_info(self._h)[1]
        return None if h is None else VariableScope(_handle=h)

    @property
    def variable_scope_name(self):
        return _core._vs.template_info(self._h)[2]

    @property
    def func(self):
        return self._func

    def _vars(self, which):
        return _core._vs.template_variables(self._h, which)

    @property
    def global_variables(self):
        return self._vars(0)

    @property
    def trainable_variables(self):
        return self._vars(1)

    @property
    def local_variables(self):
        return self._vars(2)

    @property
    def variables(self):
        return self._vars(3)

    @property
    def non_trainable_variables(self):
        return self._vars(4)

    trainable_weights = trainable_variables
    non_trainable_weights = non_trainable_variables
    weights = variables


def make_template(name_, func_, create_scope_now_=False, unique_name_=None,
                  custom_getter_=None, **kwargs):
    """tf.compat.v1.make_template."""
    return Template(name_, func_, create_scope_now_, unique_name_, custom_getter_, kwargs)


class EagerVariableStore(object):
    """tf.compat.v1.EagerVariableStore(store=None)."""

    def __init__(self, store=None, _handle=None):
        if _handle is None:
            _handle = _core._vs.eager_store(0, None if store is None else store._h)
        self._h = _handle

    def as_default(self):
        st = self

        class _C(_core._CM):
            def _enter(self):
                return _core._vs.eager_store(2, st._h)
        return _C()

    def variables(self):
        return _core._vs.eager_store_variables(self._h, 3)

    def trainable_variables(self):
        return _core._vs.eager_store_variables(self._h, 1)

    def non_trainable_variables(self):
        return _core._vs.eager_store_variables(self._h, 4)

    def copy(self):
        return EagerVariableStore(_handle=_core._vs.eager_store(1, self._h))


# -------------------------------------------------------- tf.function/defun
class _Function(object):
    """tf.function / defun: the Python function is traced into a function
    graph (libvs vs_func_graph_new) once per argument signature; calls
    return the outputs as tensors of the calling graph."""

    def __init__(self, fn, name=None):
        self._fn = fn
        self._name = name or getattr(fn, "__name__", "function")
        self._traces = {}

    def _key(self, args, kwargs):
        def k(x):
            if isinstance(x, (Tensor, Variable)):
                return ("T", str(x.shape), x.dtype.name)
            try:
                hash(x)
                return x
            except TypeError:
                return id(x)
        return (_sys.modules["builtins"].tuple(k(a) for a in args),
                _sys.modules["builtins"].tuple(sorted((n, k(v)) for n, v in kwargs.items())))

    def __call__(self, *args, **kwargs):
        key = self._key(args, kwargs)
        if key not in self._traces:
            h = _core._vs.graph_new(self._name, 1)
            g = Graph(h)
            with g.as_default():
                out = self._fn(*args, **kwargs)
            self._traces[key] = out
        out = self._traces[key]
        if executing_eagerly() or out is None:
            return out
        flat = [_like(x, "StatefulPartitionedCall", "StatefulPartitionedCall")
                for x in _flatten(out)]
        return _pack(out, flat) if isinstance(out, (list, _sys.modules["builtins"].tuple,
                                                     dict)) else flat[0]

    def __get__(self, obj, objtype=None):
        import functools
        return functools.partial(self.__call__, obj) if obj is not None else self


def function(func=None, input_signature=None, autograph=True, experimental_relax_shapes=False,
             **kwargs):
    if func is None:
        return lambda f: _Function(f)
    return _Function(func)


defun = function


# --------------------------------------------------- execution (out of scope)
class Session(object):
    """tf.Session: building-only.  run() returns None (a warning once)."""

    def __init__(self, target="", graph=None, config=None):
        self.graph = graph or get_default_graph()

    def __enter__(self):
        self._cm = self.graph.as_default()
        self._cm.__enter__()
        return self

    def __exit__(self, *a):
        self._cm.__exit__(*a)
        return False

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Executes nothing.  The result has the fetches' structure (lists,
        tuples, namedtuples, dicts), as TF's: None for an operation (a train
        op, an initializer), and for a tensor or variable a stand-in for its
        value (vstrace.tf._core._Fetched: formats as nan, arithmetic and
        comparisons work), so `_, l = sess.run([train_op, loss])` and
        `print("%.3f" % l)` go on; warns once per process."""
        _core._warn_once("session.run", "vstrace: Session.run does not execute the graph "
                         "(execution is out of scope); tensors fetch as nan")
        return _fetched(fetches)

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        return lambda *a, **k: self.run(fetches)

    def close(self):
        pass

    def as_default(self):
        return self.graph.as_default()


InteractiveSession = Session


def _fetched(fetches):
    if isinstance(fetches, dict):
        return {k: _fetched(v) for k, v in fetches.items()}
    if isinstance(fetches, (list, _sys.modules["builtins"].tuple)):
        vals = [_fetched(f) for f in fetches]
        if hasattr(fetches, "_fields"):
            return type(fetches)(*vals)
        return type(fetches)(vals)
    if fetches is None or isinstance(fetches, Operation):
        return None
    return _core.FETCHED


class _Flags(object):
    """tf.app.flags.FLAGS: DEFINE_* set defaults; the first read parses
    --name=value / --name value / --[no]name from sys.argv (absl style)."""

    def __init__(self):
        self.__dict__["_defs"] = {}
        self.__dict__["_parsed"] = False

    def _define(self, name, default, kind):
        self._defs[name] = (default, kind)

    def _parse(self, argv=None):
        vals = {n: d for n, (d, k) in self._defs.items()}
        args = list(_sys.argv[1:] if argv is None else argv[1:])
        rest = []
        i = 0
        while i < len(args):
            a = args[i]
            i += 1
            if not a.startswith("--"):
                rest.append(a)
                continue
            key, eq, val = a[2:].partition("=")
            if key not in self._defs and key.startswith("no") and key[2:] in self._defs:
                vals[key[2:]] = False
                continue
            if key not in self._defs:
                rest.append(a)
                continue
            kind = self._defs[key][1]
            if not eq:
                if kind is bool:
                    vals[key] = True
                    continue
                val = args[i] if i < len(args) else ""
                i += 1
            if kind is bool:
                vals[key] = val.lower() in ("1", "true", "t", "yes")
            elif kind is list:
                vals[key] = val.split(",") if val else []
            else:
                vals[key] = kind(val)
        self.__dict__.update(vals)
        self.__dict__["_parsed"] = True
        return rest

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if not self._parsed:
            self._parse()
            if name in self.__dict__:
                return self.__dict__[name]
        raise AttributeError(name)

    def __setattr__(self, name, value):
        self.__dict__[name] = value

    def __call__(self, argv):
        return [argv[0]] + self._parse(argv)


_FLAGS = _Flags()


def _definer(kind):
    def define(name, default, help=None, *args, **kwargs):
        _FLAGS._define(name, default, kind)
    return define


class _FileWriter(object):
    """tf.summary.FileWriter: accepts and drops everything."""

    def __init__(self, logdir=None, graph=None, *args, **kwargs):
        self.logdir = logdir

    def add_summary(self, *a, **k):
        pass

    add_graph = add_event = add_session_log = add_run_metadata = add_summary

    def flush(self):
        pass

    close = reopen = flush

    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


class ConfigProto(object):
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)
        self.gpu_options = _types.SimpleNamespace(allow_growth=False,
                                                  per_process_gpu_memory_fraction=1.0)


class GPUOptions(ConfigProto):
    pass


def global_variables_initializer():
    return no_op(name="init")


def local_variables_initializer():
    return no_op(name="init_1")


initialize_all_variables = global_variables_initializer


def variables_initializer(var_list, name="init"):
    return no_op(name=name)


def set_random_seed(seed):
    pass


def device(device_name_or_function):
    return _core._NullCM()


def colocate_with(op, ignore_existing=False):
    return _core._NullCM()


def get_seed(op_seed):
    return None, op_seed


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    return ref.assign(value, name=name)


def assign_add(ref, value, use_locking=None, name=None):
    return ref.assign_add(value, name=name)


def print_(*args, **kwargs):
    return no_op()


def Assert(condition, data, summarize=None, name=None):
    return _ops.unknown_op("Assert")(condition, name=name)


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):
    return input_


def py_func(func, inp, Tout, stateful=True, name=None):
    return _ops.unknown_op("PyFunc")(*inp, name=name)


def is_tensor(x):
    return isinstance(x, (Tensor, Variable))


def get_logger():
    import logging
    return logging.getLogger("tensorflow")


# ----------------------------------------------------------- sub-modules
def _submodule(name, attrs, fallback=True):
    m = _types.ModuleType(__name__ + "." + name)
    m.__dict__.update(attrs)
    if fallback:
        def __getattr__(attr, _m=m):
            if attr.startswith("__"):
                raise AttributeError(attr)
            f = _ops.unknown_attr("tf." + name, attr)
            setattr(_m, attr, f)
            return f
        m.__getattr__ = __getattr__
    _sys.modules[m.__name__] = m
    return m


from . import nn, layers, train, keras, contrib  # noqa: E402

# tf.contrib.eager (TF 1.15 contrib/eager/python/tfe.py): the pieces TF1
# programs took from it before they moved to tf.compat.v1
contrib.eager = contrib._module("eager", dict(
    EagerVariableStore=EagerVariableStore, enable_eager_execution=enable_eager_execution,
    executing_eagerly=executing_eagerly, defun=function, function=function,
    Variable=Variable, in_eager_mode=executing_eagerly))

initializers = _submodule("initializers", dict(
    zeros=_init.Zeros, ones=_init.Ones, constant=_init.Constant,
    glorot_uniform=_init.GlorotUniform, glorot_normal=_init.GlorotNormal,
    random_normal=_init.RandomNormal, random_uniform=_init.RandomUniform,
    truncated_normal=_init.TruncatedNormal, variance_scaling=_init.VarianceScaling,
    orthogonal=_init.Orthogonal, identity=_init.Identity, he_normal=_init.he_normal,
    he_uniform=_init.he_uniform, lecun_normal=_init.lecun_normal,
    global_variables=global_variables_initializer,
    local_variables=local_variables_initializer, variables=variables_initializer),
    fallback=False)
math = _submodule("math", {k: getattr(_ops, k) for k in dir(_ops) if not k.startswith("_")})
random = _submodule("random", dict(normal=random_normal, uniform=random_uniform,  # noqa: F405
                                   truncated_normal=truncated_normal,  # noqa: F405
                                   set_random_seed=set_random_seed, set_seed=set_random_seed))
linalg = _submodule("linalg", dict(matmul=matmul))  # noqa: F405
image = _submodule("image", {})
losses = _submodule("losses", dict(
    get_regularization_losses=lambda scope=None: get_collection(
        GraphKeys.REGULARIZATION_LOSSES, scope),
    get_regularization_loss=lambda scope=None, name="total_regularization_loss":
        add_n(get_collection(GraphKeys.REGULARIZATION_LOSSES, scope) or [0.0]),  # noqa: F405
    get_losses=lambda scope=None, loss_collection=GraphKeys.LOSSES:
        get_collection(loss_collection, scope)))
summary = _submodule("summary", dict(
    FileWriter=_FileWriter, FileWriterCache=_FileWriter,
    merge_all=lambda key=GraphKeys.SUMMARIES, scope=None, name=None: None,
    merge=lambda inputs, collections=None, name=None: constant("", name=name or "Merge")))
logging = _submodule("logging", dict(
    set_verbosity=lambda v: None, info=lambda *a, **k: None, warning=lambda *a, **k: None,
    error=lambda *a, **k: None, DEBUG=10, INFO=20, WARN=30, ERROR=40, FATAL=50))
errors = _submodule("errors", dict(
    OpError=RuntimeError, InvalidArgumentError=ValueError, NotFoundError=LookupError,
    OutOfRangeError=IndexError), fallback=False)
flags = _submodule("flags", dict(
    FLAGS=_FLAGS, DEFINE_string=_definer(str), DEFINE_integer=_definer(int),
    DEFINE_float=_definer(float), DEFINE_boolean=_definer(bool), DEFINE_bool=_definer(bool),
    DEFINE_list=_definer(list), DEFINE_enum=lambda name, default, enum_values, help=None,
    **k: _FLAGS._define(name, default, str)), fallback=False)


def _app_run(main=None, argv=None):
    """tf.app.run: parses the flags, calls main(argv) and exits with its value."""
    argv = _FLAGS(list(_sys.argv if argv is None else argv))
    main = main or _sys.modules["__main__"].main
    _sys.exit(main(argv))


app = _submodule("app", dict(run=_app_run, flags=flags), fallback=False)
regularizers = _submodule("regularizers", dict(l2=_init.l2_regularizer,
                                               l1=_init.l1_regularizer), fallback=False)
class _Strategy(object):
    """tf.distribute strategies (TF 1.15 distribute_lib): scope() enters the
    strategy's variable creator (variable_creator_scope), so the variables
    made inside it are the strategy's (mirrored ones for MirroredStrategy)
    and those made outside are not; nothing is replicated or run."""

    def __init__(self, devices=None, cross_device_ops=None, **kwargs):
        self._devices = list(devices) if devices else ["/device:GPU:0"]
        self.extended = self

    def _creator(self, next_creator, **kwargs):
        return next_creator(**kwargs)

    def scope(self):
        return _core.variable_creator_scope(self._creator)

    @property
    def num_replicas_in_sync(self):
        return len(self._devices)

    def experimental_run_v2(self, fn, args=(), kwargs=None):
        return fn(*args, **(kwargs or {}))

    run = call_for_each_replica = experimental_run_v2

    def reduce(self, reduce_op, value, axis=None):
        return value

    def experimental_distribute_dataset(self, dataset):
        return dataset


class MirroredStrategy(_Strategy):
    pass


class OneDeviceStrategy(_Strategy):
    def __init__(self, device, **kwargs):
        _Strategy.__init__(self, [device])


class _DefaultStrategy(_Strategy):
    def scope(self):
        return _core._NullCM()


_default_strategy = _DefaultStrategy()
distribute = _submodule("distribute", dict(
    MirroredStrategy=MirroredStrategy, OneDeviceStrategy=OneDeviceStrategy,
    Strategy=_Strategy, get_strategy=lambda: _default_strategy,
    has_strategy=lambda: False, ReduceOp=_types.SimpleNamespace(SUM="SUM", MEAN="MEAN")))
data = _submodule("data", {})
saved_model = _submodule("saved_model", {})
estimator = _submodule("estimator", {})
graph_util = _submodule("graph_util", {})
io = _submodule("io", {})
strings = _submodule("strings", {})
sparse = _submodule("sparse", {})
bitwise = _submodule("bitwise", {})
debugging = _submodule("debugging", {})
metrics = _submodule("metrics", {})
profiler = _submodule("profiler", {})
test = _submodule("test", {})
sysconfig = _submodule("sysconfig", {})
resource_loader = _submodule("resource_loader", {})
python_io = _submodule("python_io", {})
user_ops = _submodule("user_ops", {})
experimental = _submodule("experimental", dict(function_executor_type=lambda *a: None))
autograph = _submodule("autograph", {})


class _Compat(_types.ModuleType):
    pass


compat = _submodule("compat", {}, fallback=False)
compat.v1 = _sys.modules[__name__]
compat.v2 = _sys.modules[__name__]
compat.as_bytes = lambda s, encoding="utf-8": s.encode(encoding) if isinstance(s, str) else s
compat.as_str = lambda s, encoding="utf-8": s.decode(encoding) if isinstance(s, bytes) else s
compat.as_text = compat.as_str
compat.forward_compatible = lambda *a, **k: True
_sys.modules[__name__ + ".compat.v1"] = compat.v1
_sys.modules[__name__ + ".compat.v2"] = compat.v2


def __getattr__(attr):
    """Any other tf.* op is accepted and returns a tensor of unknown shape."""
    if attr.startswith("__"):
        raise AttributeError(attr)
    if _ops.class_like(attr):
        f = _ops.unmodelled_class("tf." + attr)
    else:
        f = _ops.unknown_op(attr[0].upper() + attr[1:])
    globals()[attr] = f
    return f
