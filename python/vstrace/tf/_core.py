"""The graph-construction core of vstrace.tf: graphs, scopes, variables,
tensors and collections, over the libvs extension vstrace._vs.

Everything that TF's variable sharing decides (names, reuse, errors) is
decided by libvs; this module converts TF's Python arguments and wraps the
handles libvs returns.  Tensors carry metadata only (name, dtype, static
shape)."""

import os
import re
import threading
import warnings

from vstrace import _vs
from . import _dtypes
from ._dtypes import DType, TensorShape, as_dtype, as_shape, dtype_vs, dtype_from_vs, shape_arg

# enum vs_reuse
_REUSE_INHERIT, _REUSE_FALSE, _REUSE_TRUE, _REUSE_AUTO = 0, 1, 2, 3
# enum vs_init_kind
(INIT_NONE, INIT_ZEROS, INIT_ONES, INIT_CONSTANT, INIT_GLOROT_UNIFORM, INIT_RANDOM_NORMAL,
 INIT_RANDOM_UNIFORM, INIT_TRUNCATED_NORMAL, INIT_KERAS, INIT_LAMBDA, INIT_VALUE) = range(11)


class _ReuseMode(object):
    """The type of tf.AUTO_REUSE (TF: enum _ReuseMode.AUTO_REUSE)."""

    def __repr__(self):
        return "<_ReuseMode.AUTO_REUSE: 1>"

    def __str__(self):
        return "_ReuseMode.AUTO_REUSE"


AUTO_REUSE = _ReuseMode()


class VariableSynchronization(object):
    AUTO, NONE, ON_WRITE, ON_READ = 0, 1, 2, 3


class VariableAggregation(object):
    NONE, SUM, MEAN, ONLY_FIRST_REPLICA = 0, 1, 2, 3


class GraphKeys(object):
    GLOBAL_VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"


def _reuse_arg(reuse):
    if reuse is None:
        return _REUSE_INHERIT
    if reuse is AUTO_REUSE:
        return _REUSE_AUTO
    return _REUSE_TRUE if reuse else _REUSE_FALSE


def _reuse_obj(n):
    return {_REUSE_TRUE: True, _REUSE_AUTO: AUTO_REUSE}.get(n, False)


def _tri(n):
    return {1: False, 2: True}.get(n)


# ---------------------------------------------------------------- graphs
_graphs = {}  # handle -> Graph


class Graph(object):
    """tf.Graph: a libvs graph plus the Python-only collections (tensors,
    ops, losses) and the tensors made in it."""

    def __new__(cls, _handle=None):
        if _handle is not None and _handle in _graphs:
            return _graphs[_handle]
        self = object.__new__(cls)
        if _handle is None:
            _handle = _vs.graph_new(None, 0)
        self._h = _handle
        self._collections = {}
        self._tensors = {}
        self._ops = {}
        self._finalized = False
        self._obj_uids = {}
        _graphs[_handle] = self
        return self

    def __init__(self, _handle=None):
        pass

    def __repr__(self):
        return "<vstrace.tf.Graph %s>" % self._info()[0]

    def _info(self):
        return _vs.graph_info(self._h)

    @property
    def building_function(self):
        return bool(self._info()[2])

    @property
    def outer_graph(self):
        o = self._info()[3]
        return None if o is None else Graph(o)

    @property
    def graph_id(self):
        return self._info()[1]

    def as_default(self):
        return _GraphCM(self)

    def name_scope(self, name):
        return name_scope(name, _graph=self)

    def unique_name(self, name, mark_as_used=True):
        with self.as_default():
            return _vs.unique_name(name, 1 if mark_as_used else 0)

    def get_name_scope(self):
        with self.as_default():
            return _vs.get_name_scope()

    def add_to_collection(self, name, value):
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value):
        for n in ([names] if isinstance(names, str) else names):
            self.add_to_collection(n, value)

    def get_collection(self, name, scope=None):
        # libvs files the regularized variable under REGULARIZATION_LOSSES; TF
        # holds the loss tensors there, which the Python layer adds
        c = [] if name == GraphKeys.REGULARIZATION_LOSSES else _vs.collection(self._h, name)
        items = c + list(self._collections.get(name, ()))
        if scope is None:
            return items
        rx = re.compile(scope)
        return [i for i in items if hasattr(i, "name") and rx.match(i.name)]

    def get_collection_ref(self, name):
        return self._collections.setdefault(name, [])

    def clear_collection(self, name):
        self._collections.pop(name, None)

    def get_all_collection_keys(self):
        return sorted(self._collections)

    def get_tensor_by_name(self, name):
        try:
            return self._tensors[name]
        except KeyError:
            raise KeyError("The name %r refers to a Tensor which does not exist." % name)

    def get_operation_by_name(self, name):
        try:
            return self._ops[name]
        except KeyError:
            raise KeyError("The name %r refers to an Operation not in the graph." % name)

    def get_operations(self):
        return list(self._ops.values())

    def finalize(self):
        self._finalized = True

    @property
    def finalized(self):
        return self._finalized

    def device(self, *a, **k):
        return _NullCM()

    def colocate_with(self, *a, **k):
        return _NullCM()

    def control_dependencies(self, control_inputs):
        with self.as_default():
            return control_dependencies(control_inputs)

    def _variable_creator_scope(self, creator, priority=100):
        return _CreatorCM(creator, priority)

    def gradient_override_map(self, op_type_map):
        return _NullCM()


class _NullCM(object):
    def __enter__(self):
        return None

    def __exit__(self, *a):
        return False


class _CM(object):
    """A libvs context manager: enter() returns the handle; exit leaves it."""
    __slots__ = ("_stack",)

    def __init__(self):
        self._stack = []

    def __enter__(self):
        h = self._enter()
        self._stack.append(h)
        return self._value(h)

    def __exit__(self, et, ev, tb):
        h = self._stack.pop()
        if et is None:
            _vs.exit(h)
        else:
            try:
                _vs.exit(h)
            except Exception:
                pass
        return False

    def _value(self, h):
        return None


class _GraphCM(_CM):
    __slots__ = ("_g",)

    def __init__(self, g):
        _CM.__init__(self)
        self._g = g

    def _enter(self):
        return _vs.graph_as_default(self._g._h)

    def _value(self, h):
        return self._g


def get_default_graph():
    return Graph(_vs.default_graph())


def reset_default_graph():
    _vs.reset_default_graph()


def _simple_cm(which):
    class _C(_CM):
        __slots__ = ()

        def _enter(self):
            return _vs.enter(which)
    return _C


_InitScope = _simple_cm(0)
_CondCM = _simple_cm(1)
_WhileCM = _simple_cm(2)
_EagerModeCM = _simple_cm(3)
_GraphModeCM = _simple_cm(4)
_TapeCM = _simple_cm(5)
_StopRecordingCM = _simple_cm(6)


def init_scope():
    return _InitScope()


def eager_mode():
    """context.eager_mode(): executes eagerly inside the block."""
    return _EagerModeCM()


def graph_mode():
    """context.graph_mode(): builds graphs inside the block."""
    return _GraphModeCM()


def executing_eagerly():
    return bool(_vs.context_info()[0])


_eager_configured = [False]


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    """Turns eager execution on for the process.  Asking whether the process
    executes eagerly would start the runtime in graph mode, so the first
    call configures it directly; once graphs were built, TF's ValueError."""
    try:
        _vs.runtime_configure(True, None)
    except RuntimeError:
        if executing_eagerly():
            return
        raise ValueError("tf.enable_eager_execution must be called at program startup.")


def disable_eager_execution():
    if not executing_eagerly():
        return
    _vs.runtime_configure(False, None)


def enable_resource_variables():
    _vs.runtime_configure(None, True)


def disable_v2_behavior():
    pass


def enable_v2_behavior():
    enable_eager_execution()


def in_control_flow():
    return bool(_vs.context_info()[1])


class GradientTape(object):
    """tf.GradientTape: records nothing; variables watched are not tracked."""

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._cm = _TapeCM()

    def __enter__(self):
        self._cm.__enter__()
        return self

    def __exit__(self, *a):
        return self._cm.__exit__(*a)

    def stop_recording(self):
        return _StopRecordingCM()

    def watch(self, t):
        pass

    def gradient(self, target, sources, output_gradients=None, unconnected_gradients=None):
        if isinstance(sources, (list, tuple)):
            return [_unknown_like(s, "gradient") for s in sources]
        return _unknown_like(sources, "gradient")


# ------------------------------------------------------------ name scopes
class name_scope(_CM):
    """tf.compat.v1.name_scope(name, default_name=None, values=None)."""
    __slots__ = ("_name", "_default", "_values", "_graph_cm")

    def __init__(self, name, default_name=None, values=None, _graph=None):
        _CM.__init__(self)
        self._name = name
        self._default = default_name
        self._values = values
        self._graph_cm = None if _graph is None else _graph.as_default()

    def __enter__(self):
        if self._graph_cm is not None:
            self._graph_cm.__enter__()
        return _CM.__enter__(self)

    def __exit__(self, *a):
        _CM.__exit__(self, *a)
        if self._graph_cm is not None:
            self._graph_cm.__exit__(*a)
        return False

    def _enter(self):
        name = self._name
        if isinstance(name, VariableScope):
            name = name.original_name_scope
        return _vs.name_scope(name, self._default, 0 if self._values is None else 1)

    def _value(self, h):
        n = _vs.cm_info(h)[0]
        return "" if n is None else n


def name_scope_v2(name):
    return name_scope(name)


def get_name_scope():
    return _vs.get_name_scope()


# --------------------------------------------------------- variable scopes
_scopes = {}  # handle -> VariableScope


class VariableScope(object):
    """tf.compat.v1.VariableScope: a view of a libvs scope object."""

    def __new__(cls, reuse=None, name="", _handle=None, **kwargs):
        if _handle is None:
            raise NotImplementedError(
                "vstrace: VariableScope objects come from variable_scope(); "
                "construct one with tf.variable_scope(name) instead")
        s = _scopes.get(_handle)
        if s is None:
            s = object.__new__(cls)
            s._h = _handle
            s._getter = None
            s._partitioner = None
            s._regularizer = None
            s._constraint = None
            s._initializer = None
            _scopes[_handle] = s
        return s

    def __init__(self, *a, **k):
        pass

    def _info(self):
        return _vs.varscope_info(self._h)

    @property
    def name(self):
        return self._info()[0]

    @property
    def original_name_scope(self):
        return self._info()[1]

    @property
    def reuse(self):
        return _reuse_obj(self._info()[2])

    @property
    def dtype(self):
        return dtype_from_vs(self._info()[3]) or _dtypes.float32

    @property
    def initializer(self):
        t = self._info()[4]
        if t is None:
            return None
        return _init_from_tuple(t)

    @property
    def use_resource(self):
        return _tri(self._info()[5])

    @property
    def caching_device(self):
        return self._info()[6]

    @property
    def custom_getter(self):
        return self._getter

    @property
    def partitioner(self):
        return self._partitioner

    @property
    def regularizer(self):
        return self._regularizer

    @property
    def constraint(self):
        return self._constraint

    def reuse_variables(self):
        _vs.varscope_reuse_variables(self._h)

    def set_initializer(self, initializer):
        _vs.varscope_set(self._h, "initializer", _init_arg(initializer))

    def set_dtype(self, dtype):
        _vs.varscope_set(self._h, "dtype", dtype_vs(dtype))

    def set_use_resource(self, use_resource):
        _vs.varscope_set(self._h, "use_resource", bool(use_resource))

    def set_caching_device(self, caching_device):
        _vs.varscope_set(self._h, "caching_device", caching_device)

    def set_partitioner(self, partitioner):
        self._partitioner = partitioner
        _vs.varscope_set(self._h, "partitioner", _part_arg(partitioner))

    def set_custom_getter(self, custom_getter):
        self._getter = custom_getter
        _vs.varscope_set(self._h, "custom_getter", _getter_arg(custom_getter))

    def set_regularizer(self, regularizer):
        self._regularizer = regularizer

    def get_collection(self, name):
        return _vs.varscope_collection(self._h, name)

    def global_variables(self):
        return self.get_collection(GraphKeys.GLOBAL_VARIABLES)

    def trainable_variables(self):
        return self.get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def local_variables(self):
        return self.get_collection(GraphKeys.LOCAL_VARIABLES)

    def __repr__(self):
        return "<tf.VariableScope %r>" % self.name


def get_variable_scope():
    return VariableScope(_handle=_vs.get_variable_scope())


class variable_scope(_CM):
    """tf.compat.v1.variable_scope(name_or_scope, default_name=None, ...)."""
    __slots__ = ("_a",)

    def __init__(self, name_or_scope, default_name=None, values=None, initializer=None,
                 regularizer=None, caching_device=None, partitioner=None, custom_getter=None,
                 reuse=None, dtype=None, use_resource=None, constraint=None,
                 auxiliary_name_scope=True):
        _CM.__init__(self)
        self._a = (name_or_scope, default_name, initializer, regularizer, caching_device,
                   partitioner, custom_getter, reuse, dtype, use_resource, constraint,
                   auxiliary_name_scope)

    def _enter(self):
        (nos, dname, init, reg, cdev, part, getter, reuse, dtype, useres, constr,
         aux) = self._a
        scope = None
        if isinstance(nos, VariableScope):
            scope, nos = nos._h, None
        elif nos is not None and not isinstance(nos, str):
            raise TypeError("VariableScope: name_or_scope must be a string or VariableScope.")
        bad_aux = not isinstance(aux, bool)
        h = _vs.variable_scope(nos, scope, dname, _reuse_arg(reuse), _init_arg(init, dtype),
                               dtype_vs(dtype), _getter_arg(getter), _part_arg(part), reg,
                               cdev, useres, constr, None if bad_aux else aux, int(bad_aux))
        vs = VariableScope(_handle=_vs.cm_info(h)[1])
        if getter is not None:
            vs._getter = getter
        if part is not None:
            vs._partitioner = part
        if reg is not None:
            vs._regularizer = reg
        if constr is not None:
            vs._constraint = constr
        return h

    def _value(self, h):
        return VariableScope(_handle=_vs.cm_info(h)[1])


def variable_op_scope(values, name_or_scope, default_name=None, **kwargs):
    return variable_scope(name_or_scope, default_name=default_name, values=values, **kwargs)


# ------------------------------------------------ initializer conversion
_init_objs = {}


def _value_shape_dtype(value, dtype=None):
    """(shape tuple, dtype) of a Python/Tensor initial value."""
    if isinstance(value, (Tensor, Variable)):
        return tuple(value.shape._dims) if value.shape._dims is not None else "?", value.dtype
    if isinstance(value, (list, tuple)):
        if not value:
            return (0,), dtype or _dtypes.float32
        inner, dt = _value_shape_dtype(value[0], dtype)
        return (len(value),) + (inner if isinstance(inner, tuple) else ()), dt
    sh = getattr(value, "shape", None)
    if sh is not None and hasattr(value, "dtype"):  # numpy arrays
        try:
            return tuple(int(d) for d in sh), as_dtype(str(value.dtype))
        except TypeError:
            return tuple(int(d) for d in sh), _dtypes.float32
    if isinstance(value, bool):
        return (), dtype or _dtypes.bool_
    if isinstance(value, int):
        return (), dtype or _dtypes.int32
    if isinstance(value, float):
        return (), dtype or _dtypes.float32
    if isinstance(value, (str, bytes)):
        return (), _dtypes.string
    return (), dtype or _dtypes.float32


def _scalar(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _init_arg(init, dtype=None):
    """An initializer / initial value as _vs takes it: (kind, value, dtype, shape)."""
    if init is None:
        return None
    kind = getattr(init, "_vs_kind", None)
    if isinstance(init, type) and kind is not None:  # a class: TF instantiates it
        init = init()
    if kind is not None:
        t = (kind, _scalar(getattr(init, "value", 0.0)), dtype_vs(getattr(init, "dtype", None)),
             None)
    elif isinstance(init, (Tensor, Variable)) or not callable(init):
        shape, dt = _value_shape_dtype(init, as_dtype(dtype) if dtype is not None else None)
        t = (INIT_VALUE, _scalar(init) if not isinstance(init, (list, tuple)) else 0.0,
             dtype_vs(dt), shape)
    else:
        t = (INIT_LAMBDA, 0.0, 0, None)
    _init_objs[t] = init
    return t


def _init_from_tuple(t):
    o = _init_objs.get(tuple(t))
    if o is not None:
        return o
    from . import _init
    return _init._from_kind(t[0], t[1])


# -------------------------------------------------- getters, partitioners
class _PartWrap(object):
    __slots__ = ("_p", "__name__")

    def __init__(self, p):
        self._p = p
        self.__name__ = getattr(p, "__name__", type(p).__name__)

    def __call__(self, shape, dtype):
        r = self._p(shape=TensorShape(None if shape == "?" else shape),
                    dtype=dtype_from_vs(dtype))
        if isinstance(r, (list, tuple)):
            return [int(x) for x in r]
        return r


def _part_arg(p):
    if p is None or not callable(p):
        return p  # a non-callable reaches libvs as such (TF's E10 names it)
    return _PartWrap(p)


def _getter_arg(g):
    return g  # a non-callable reaches libvs as such (TF's E9 names it)


def _getter_dispatch(user, nxt, name, shape, dtype, init, reg, reuse, trainable, collections,
                     caching_device, part, validate_shape, use_resource, constraint, sync, agg):
    """Called by libvs for a custom getter: user(getter, name, **kwargs) as TF calls it."""
    def getter(name, shape=None, dtype=_dtypes.float32, initializer=None, regularizer=None,
               reuse=None, trainable=None, collections=None, caching_device=None,
               partitioner=None, validate_shape=True, use_resource=None, constraint=None,
               synchronization=VariableSynchronization.AUTO,
               aggregation=VariableAggregation.NONE, **ignored):
        if isinstance(partitioner, _PartWrap):
            partitioner = partitioner._p
        return nxt.call_getter(name, shape_arg(shape), dtype_vs(dtype),
                               _init_arg(initializer, dtype), regularizer, _reuse_arg(reuse),
                               trainable, collections, caching_device, _part_arg(partitioner),
                               validate_shape, use_resource, constraint, int(synchronization),
                               int(aggregation))
    kwargs = dict(
        getter=getter, name=name,
        shape=None if shape is None else TensorShape(None if shape == "?" else shape),
        dtype=dtype_from_vs(dtype) or _dtypes.float32,
        initializer=None if init is None else _init_from_tuple(init),
        regularizer=reg, reuse=_reuse_obj(reuse), trainable=_tri(trainable),
        collections=collections, caching_device=caching_device,
        partitioner=part._p if isinstance(part, _PartWrap) else part,
        validate_shape=_tri(validate_shape) is not False,
        use_resource=_tri(use_resource), synchronization=sync, aggregation=agg)
    if _accepts(user, "constraint"):
        kwargs["constraint"] = constraint
    return user(**kwargs)


def _accepts(fn, kw):
    import inspect
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return True
    for p in sig.parameters.values():
        if p.kind == p.VAR_KEYWORD or p.name == kw:
            return True
    return False


def _creator_dispatch(user, nxt, name, init, trainable, collections, caching_device,
                      validate_shape, dtype, constraint, use_resource, shape, sync, agg, v2):
    """Called by libvs for a variable creator: user(next_creator, **kwargs)."""
    def next_creator(initial_value=None, trainable=None, collections=None,
                     validate_shape=True, caching_device=None, name=None, dtype=None,
                     constraint=None, use_resource=None, synchronization=0, aggregation=0,
                     shape=None, **ignored):
        return nxt.call_creator(name, None if initial_value is None else
                                _init_arg(initial_value, dtype), trainable, collections,
                                caching_device, validate_shape, dtype_vs(dtype), use_resource,
                                shape_arg(shape), constraint, int(synchronization or 0),
                                int(aggregation or 0), v2)
    kwargs = dict(initial_value=None if init is None else _init_from_tuple(init),
                  trainable=_tri(trainable), validate_shape=_tri(validate_shape) is not False,
                  caching_device=caching_device, name=name, dtype=dtype_from_vs(dtype),
                  constraint=constraint, synchronization=sync, aggregation=agg,
                  shape=None if shape is None else TensorShape(None if shape == "?" else shape))
    if not v2:
        kwargs["collections"] = collections
        kwargs["use_resource"] = _tri(use_resource)
    return user(next_creator, **kwargs)


class _CreatorCM(_CM):
    __slots__ = ("_c", "_p")

    def __init__(self, creator, priority=None):
        _CM.__init__(self)
        self._c = creator
        self._p = priority

    def _enter(self):
        return _vs.creator_scope(self._c, 0 if self._p is None else 1, self._p or 0)


def variable_creator_scope(variable_creator):
    return _CreatorCM(variable_creator)


# --------------------------------------------------------------- variables
def _get_variable(local, name, shape=None, dtype=None, initializer=None, regularizer=None,
                  trainable=None, collections=None, caching_device=None, partitioner=None,
                  validate_shape=True, use_resource=None, custom_getter=None, constraint=None,
                  synchronization=0, aggregation=0):
    """tf.compat.v1.get_variable's full argument conversion (the common
    call is converted in C by _vs.tf_get_variable, which is get_variable)."""
    return _vs.get_variable(local, name, shape_arg(shape), dtype_vs(dtype),
                            _init_arg(initializer, dtype), regularizer, trainable, collections,
                            caching_device, _part_arg(partitioner), validate_shape, use_resource,
                            _getter_arg(custom_getter), constraint, int(synchronization or 0),
                            int(aggregation or 0))


get_variable = _vs.tf_get_variable


def get_local_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                       trainable=False, collections=None, caching_device=None, partitioner=None,
                       validate_shape=True, use_resource=None, custom_getter=None,
                       constraint=None, synchronization=0, aggregation=0):
    """tf.compat.v1.get_local_variable."""
    return _vs.get_variable(True, name, shape_arg(shape), dtype_vs(dtype),
                            _init_arg(initializer, dtype), regularizer, trainable, collections,
                            caching_device, _part_arg(partitioner), validate_shape, use_resource,
                            _getter_arg(custom_getter), constraint, int(synchronization),
                            int(aggregation))


def _variable(v2, initial_value=None, trainable=None, collections=None, validate_shape=True,
              caching_device=None, name=None, dtype=None, constraint=None, use_resource=None,
              synchronization=0, aggregation=0, shape=None, expected_shape=None,
              experimental_enable_variable_lifting=True, **ignored):
    if initial_value is None:
        raise ValueError("initial_value must be specified.")
    return _vs.variable(int(v2), name, _init_arg(initial_value, dtype), trainable, collections,
                        validate_shape, caching_device, dtype_vs(dtype), constraint,
                        use_resource, int(synchronization or 0), int(aggregation or 0),
                        shape_arg(shape), 0 if experimental_enable_variable_lifting else 1)


class _VariableMeta(type):
    """tf.Variable(...) / tf.compat.v1.Variable(...) create through libvs."""

    def __call__(cls, *args, **kwargs):
        if "_handle" in kwargs:
            return type.__call__(cls, *args, **kwargs)
        return _variable(cls._v2, *args, **kwargs)

    def __instancecheck__(cls, obj):
        return isinstance(type(obj), _VariableMeta)


class _Fetched(object):
    """What Session.run / Tensor.eval return for a tensor or variable: nothing
    is computed, so this stands in for the numpy value a script goes on to
    use.  It formats as a number ("%.3f" and "{:.3f}" print nan; "%d" prints
    0), arithmetic gives another _Fetched, comparisons and truth are False
    (a `while loss > eps` loop ends, an `if acc > best` branch is skipped),
    iteration yields nothing, indexing and any numpy-style method
    (.mean(), .argmax(), .tolist(), ...) give another _Fetched."""

    __slots__ = ()

    def __float__(self):
        return float("nan")

    def __int__(self):
        return 0

    __index__ = __int__

    def __complex__(self):
        return complex(float("nan"))

    def __format__(self, spec):
        if spec and spec[-1] in "dxXobcn":
            return format(0, spec)
        return format(float("nan"), spec) if spec else "nan"

    def __repr__(self):
        return "nan"

    __str__ = __repr__

    def __bool__(self):
        return False

    def _same(self, *args, **kwargs):
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _same
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _same
    __pow__ = __rpow__ = __matmul__ = __rmatmul__ = __neg__ = __pos__ = __abs__ = _same
    __round__ = __getitem__ = _same

    def __lt__(self, other):
        return False

    __le__ = __gt__ = __ge__ = __eq__ = __lt__

    def __ne__(self, other):
        return True

    __hash__ = object.__hash__

    def __len__(self):
        return 0

    def __iter__(self):
        return iter(())

    def __contains__(self, item):
        return False

    def __setitem__(self, key, value):
        pass

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name in ("shape", "dtype", "size", "ndim", "T", "real", "imag", "flat"):
            return () if name == "shape" else (0 if name in ("size", "ndim") else self)
        return self._same


FETCHED = _Fetched()


class Variable(metaclass=_VariableMeta):
    """A variable created by libvs (tf.Variable, get_variable, ...)."""
    _v2 = 0

    def __init__(self, _handle):
        (self.name, op_name, self._store_key, shape, dt, self.trainable, res, g, self._id,
         nparts, init, self.device) = _vs.var_info(_handle)
        self._h = _handle
        self._shape = TensorShape(None if shape == "?" else shape)
        self.dtype = dtype_from_vs(dt) or _dtypes.float32
        self._resource = bool(res)
        self._graph = None if g is None else Graph(g)
        self._partitioned = nparts > 0
        self._init = init
        self.op = Operation(op_name, "VarHandleOp" if res else "VariableV2", self._graph)
        self._t = None

    @property
    def shape(self):
        return self._shape

    def get_shape(self):
        return self._shape

    @property
    def graph(self):
        return self._graph

    @property
    def initializer(self):
        return Operation(self.op.name + "/Assign", "Assign", self._graph)

    @property
    def initial_value(self):
        return Tensor(None, self._shape, self.dtype, name=self.op.name + "/initial_value:0")

    def _as_tensor(self):
        if self._t is None:
            self._t = Tensor(self.op, self._shape, self.dtype, name=self.name)
        return self._t

    def value(self):
        return self._as_tensor()

    def read_value(self):
        return self._as_tensor()

    def initialized_value(self):
        return self._as_tensor()

    def assign(self, value, use_locking=None, name=None, read_value=True):
        return _op("Assign", [self, value], name, "Assign", self._shape, self.dtype)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        return _op("AssignAdd", [self, delta], name, "AssignAdd", self._shape, self.dtype)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        return _op("AssignSub", [self, delta], name, "AssignSub", self._shape, self.dtype)

    def eval(self, session=None):
        return FETCHED

    def load(self, value, session=None):
        pass

    def set_shape(self, shape):
        self._shape = self._shape.merge_with(shape)

    def __iter__(self):
        if self._partitioned:
            return iter(_vs.var_partitions(self._h))
        raise TypeError("'Variable' object is not iterable.")

    def _get_variable_list(self):
        return _vs.var_partitions(self._h) if self._partitioned else [self]

    def __len__(self):
        if self._partitioned:
            return len(_vs.var_partitions(self._h))
        raise TypeError("'Variable' object has no len()")

    def __repr__(self):
        return "<tf.Variable '%s' shape=%s dtype=%s>" % (self.name, self._shape, self.dtype.name)

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __bool__(self):
        return True


class VariableV1(Variable):
    _v2 = 0


class VariableV2(Variable):
    _v2 = 1


def _var_factory(handle):
    return Variable.__new__(Variable)._init_handle(handle)


def _init_handle(self, handle):
    Variable.__init__(self, handle)
    return self


Variable._init_handle = _init_handle


def _add_regularization_loss(loss):
    get_default_graph().add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)


# ------------------------------------------------- operations and tensors
class Operation(object):
    """tf.Operation: a name, a type, a graph (and the libvs op handle)."""
    __slots__ = ("name", "type", "graph", "_h", "outputs", "inputs", "_control_inputs")

    def __init__(self, name, type, graph, _h=None):
        self.name = name
        self.type = type
        self.graph = graph
        self._h = _h
        self.outputs = []
        self.inputs = []
        self._control_inputs = []

    @property
    def control_inputs(self):
        return self._control_inputs

    def run(self, feed_dict=None, session=None):
        return None

    def __repr__(self):
        return "<tf.Operation '%s' type=%s>" % (self.name, self.type)


class Tensor(object):
    """tf.Tensor: op, output index, dtype and static shape; no value."""
    __slots__ = ("op", "_shape", "dtype", "name", "value_index", "_value")

    def __init__(self, op, shape, dtype, name=None, index=0, value=None):
        self.op = op
        self._shape = as_shape(shape) if not isinstance(shape, TensorShape) else shape
        self.dtype = dtype
        self.value_index = index
        self.name = name if name is not None else "%s:%d" % (op.name, index)
        self._value = value

    @property
    def shape(self):
        return self._shape

    def get_shape(self):
        return self._shape

    def set_shape(self, shape):
        self._shape = self._shape.merge_with(shape)

    @property
    def graph(self):
        return self.op.graph if self.op is not None else None

    @property
    def device(self):
        return ""

    def eval(self, feed_dict=None, session=None):
        return FETCHED

    def numpy(self):
        return self._value

    def consumers(self):
        return []

    def __repr__(self):
        return "<tf.Tensor '%s' shape=%s dtype=%s>" % (self.name, self._shape, self.dtype.name)

    def __hash__(self):
        return id(self)

    def __bool__(self):
        raise TypeError("Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not "
                        "None:` instead of `if t:` to test if a tensor is defined, and use "
                        "TensorFlow ops such as tf.cond to execute subgraphs conditioned on "
                        "the value of a tensor.")

    def __iter__(self):
        if self._shape.ndims is None or not self._shape._dims or self._shape._dims[0] is None:
            raise TypeError("Tensor objects are only iterable when eager execution is "
                            "enabled. To iterate over this tensor use tf.map_fn.")
        from . import _ops
        return iter(_ops.unstack(self))

    def __len__(self):
        raise TypeError("len is not well defined for symbolic Tensors. (%s) Please call "
                        "`x.shape` rather than `len(x)` for shape information." % self.name)


def _unknown_like(x, type_="Identity"):
    t = convert_to_tensor(x)
    return _op(type_, [t], None, type_, t.shape, t.dtype)


# Ops: _op makes the libvs op (named in the current name scope and
# uniquified by libvs) and its output tensors.
def _op(type_, inputs, name, default, shape, dtype, n_out=1):
    h, opname = _vs.op(type_, name if name is not None else default)
    g = None if executing_eagerly() else get_default_graph()
    op = Operation(opname, type_, g, h)
    op.inputs = [i for i in inputs if isinstance(i, Tensor)]
    shapes = shape if n_out > 1 else [shape]
    dtypes = dtype if isinstance(dtype, (list, tuple)) else [dtype] * n_out
    outs = [Tensor(op, s if s is not None else TensorShape(None), d or _dtypes.float32,
                   index=i) for i, (s, d) in enumerate(zip(shapes, dtypes))]
    op.outputs = outs
    if g is not None:
        g._ops[opname] = op
        for t in outs:
            g._tensors[t.name] = t
    return outs[0] if n_out == 1 else outs


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, dtype_hint=None):
    if isinstance(value, Tensor):
        return value
    if isinstance(value, Variable):
        return value._as_tensor()
    conv = getattr(value, "_as_tensor", None)
    if conv is not None:
        return conv()
    if isinstance(value, (list, tuple)) and value and any(
            isinstance(v, (Tensor, Variable)) for v in value):
        from . import _ops
        return _ops.stack(list(value), name=name)
    shape, dt = _value_shape_dtype(value, as_dtype(dtype) if dtype is not None else
                                   (as_dtype(preferred_dtype or dtype_hint)
                                    if (preferred_dtype or dtype_hint) is not None else None))
    if dtype is not None:
        dt = as_dtype(dtype)
    return _op("Const", [], name, "Const", TensorShape(shape), dt)


convert_to_tensor_v2 = convert_to_tensor


def _shim_dirs():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return (here + os.sep,)


_vs.setup(_shim_dirs(), _var_factory, _getter_dispatch, _creator_dispatch,
          _add_regularization_loss, _get_variable)


def _reset_runtime():
    """A fresh runtime (a new process's state): for vstrace.check and tests."""
    _vs.runtime_reset()
    _graphs.clear()
    _scopes.clear()
    _init_objs.clear()
    _control_flow_state.clear()


_control_flow_state = {}
_local = threading.local()


# ------------------------------------------------------------- collections
def get_collection(key, scope=None):
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    return get_default_graph().get_collection_ref(key)


def add_to_collection(name, value):
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    get_default_graph().add_to_collections(names, value)


def global_variables(scope=None):
    return get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


all_variables = global_variables


def trainable_variables(scope=None):
    return get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope=None):
    return get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope=None):
    return get_collection(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope=None):
    return get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


# --------------------------------------------------- control dependencies
class control_dependencies(_CM):
    """tf.control_dependencies(control_inputs); None clears."""
    __slots__ = ("_inputs",)

    def __init__(self, control_inputs):
        _CM.__init__(self)
        self._inputs = control_inputs

    def _enter(self):
        if self._inputs is None:
            return _vs.control_dependencies(None)
        hs = []
        for x in self._inputs:
            if isinstance(x, Tensor):
                x = x.op
            elif isinstance(x, Variable):
                x = x.op
            hs.append(x._h if isinstance(x, Operation) and x._h is not None else None)
        return _vs.control_dependencies(hs)


def _warn_once(key, msg):
    seen = _control_flow_state.setdefault("_warned", set())
    if key not in seen:
        seen.add(key)
        warnings.warn(msg, stacklevel=3)
