"""tf.compat.v1.train: optimizers (slot variables through libvs's
vs_optimizer, tracer/layers.c), ExponentialMovingAverage, the global step,
and building-only stand-ins for Saver and friends."""

from vstrace import _vs
from . import _core, _init, _ops
from ._core import (GraphKeys, Variable, convert_to_tensor, name_scope, init_scope,
                    variable_scope, get_variable, get_variable_scope, get_collection,
                    trainable_variables)
from ._dtypes import TensorShape

# enum vs_optimizer_kind
_GD, _MOMENTUM, _ADAM, _RMSPROP, _ADAGRAD = range(5)


def __getattr__(attr):
    if attr.startswith("__"):
        raise AttributeError(attr)
    f = _ops.unknown_attr("tf.train", attr)
    globals()[attr] = f
    return f


class Optimizer(object):
    """optimizer.py Optimizer: minimize = compute_gradients + apply_gradients."""
    _kind = _GD
    GATE_NONE, GATE_OP, GATE_GRAPH = 0, 1, 2

    def __init__(self, use_locking, name, centered=False):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._name = name
        self._use_locking = use_locking
        self._vo = _vs.Optimizer(self._kind, name, 1 if centered else 0)

    def get_name(self):
        return self._name

    def compute_gradients(self, loss, var_list=None, gate_gradients=1,
                          aggregation_method=None, colocate_gradients_with_ops=False,
                          grad_loss=None):
        if callable(loss):
            loss = loss()
        if var_list is None:
            var_list = (trainable_variables() +
                        get_collection(GraphKeys.TRAINABLE_RESOURCE_VARIABLES))
        else:
            var_list = list(var_list)
        var_list = [v for v in var_list]
        if not var_list:
            raise ValueError("No variables to optimize.")
        loss = convert_to_tensor(loss)
        with name_scope(None, "gradients"):
            grads = [_core._op("Identity", [loss], None,
                               v.op.name.rsplit("/", 1)[-1] + "_grad", v.shape, v.dtype)
                     for v in var_list]
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        grads_and_vars = tuple(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        var_list = [v for g, v in grads_and_vars if g is not None]
        if not var_list:
            raise ValueError("No gradients provided for any variable: %s." %
                             ([str(v) for _, v in grads_and_vars],))
        self._vo.create_slots(var_list)  # under init_scope (vs_optimizer_create_slots)
        with name_scope(name, self._name) as scope:
            updates = []
            for g, v in grads_and_vars:
                if g is None:
                    continue
                with name_scope("update_" + v.op.name):
                    updates.append(_core._op("Apply" + type(self).__name__.replace(
                        "Optimizer", ""), [], None, "Apply", v.shape, v.dtype).op)
            if global_step is None:
                train = _ops.group(*updates, name=scope)
            else:
                with _core.control_dependencies([_ops.group(*updates, name="update")]):
                    train = _core._op("AssignAdd", [], scope, "AssignAdd", TensorShape([]),
                                      global_step.dtype).op
        _core.add_to_collection(GraphKeys.TRAIN_OP, train)
        return train

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=1,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None):
        gv = self.compute_gradients(loss, var_list=var_list)
        return self.apply_gradients(gv, global_step=global_step, name=name)

    def variables(self):
        return []


class GradientDescentOptimizer(Optimizer):
    _kind = _GD

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        Optimizer.__init__(self, use_locking, name)


class MomentumOptimizer(Optimizer):
    _kind = _MOMENTUM

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False):
        Optimizer.__init__(self, use_locking, name)


class AdamOptimizer(Optimizer):
    _kind = _ADAM

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="Adam"):
        Optimizer.__init__(self, use_locking, name)


class RMSPropOptimizer(Optimizer):
    _kind = _RMSPROP

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10,
                 use_locking=False, centered=False, name="RMSProp"):
        Optimizer.__init__(self, use_locking, name, centered)


class AdagradOptimizer(Optimizer):
    _kind = _ADAGRAD

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name="Adagrad"):
        Optimizer.__init__(self, use_locking, name)


class ExponentialMovingAverage(object):
    """training/moving_averages.py ExponentialMovingAverage: a variable's
    average is a slot initialized from it (vs_ema_average); a tensor's is a
    zeros slot, zero-debiased (_zero_debias) when zero_debias=True."""

    def __init__(self, decay, num_updates=None, zero_debias=False,
                 name="ExponentialMovingAverage"):
        self._decay = decay
        self._zero_debias = zero_debias
        self._name = name
        self._averages = {}

    @property
    def name(self):
        return self._name

    def apply(self, var_list=None):
        """apply(): averages made under init_scope, once per var or tensor;
        the update ops under name_scope(self.name), each an
        assign_moving_average (name scope "AssignMovingAvg") that makes the
        debias variables of the averages made by this call when zero_debias."""
        if var_list is None:
            var_list = trainable_variables()
        debias = set()
        for var in var_list:
            if not var.dtype.is_floating:
                raise TypeError("The variables must be half, float, or double: %s" % var.name)
            if var in self._averages:
                continue
            if isinstance(var, Variable):
                avg = _vs.ema_average(var, self._name)  # vs_ema_average: init_scope + slot
                _core.add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
            else:
                avg = self._tensor_average(convert_to_tensor(var))
                if self._zero_debias:
                    debias.add(avg)
            self._averages[var] = avg
        with name_scope(self._name) as scope:
            updates = []
            for var in var_list:
                avg = self._averages[var]
                with name_scope(None, "AssignMovingAvg") as sc:
                    if avg in debias:
                        _zero_debias_variables(avg)
                    updates.append(_core._op("AssignSub", [], sc, "AssignSub",
                                             avg.shape, avg.dtype).op)
            return _ops.group(*updates, name=scope)

    def _tensor_average(self, t):
        # slot_creator.create_zeros_slot(tensor, name): the same naming as a
        # variable's slot, prefix = the tensor's op name
        with init_scope():
            with variable_scope(None, default_name=t.op.name + "/" + self._name):
                return get_variable("", shape=t.shape, dtype=t.dtype,
                                    initializer=_init.Zeros(), trainable=False)

    def average(self, var):
        return self._averages.get(var)

    def average_name(self, var):
        """average_name(): the average's op name once applied, else the
        graph's unique name for <var op name>/<ema name>, not marked used."""
        if var in self._averages:
            return self._averages[var].op.name
        return _core.get_default_graph().unique_name(var.op.name + "/" + self._name,
                                                     mark_as_used=False)

    def variables_to_restore(self, moving_avg_variables=None):
        return {}


def _zero_debias_variables(avg):
    """moving_averages.py _zero_debias: variable_scope(<avg name without
    ':0'>) entered from the current variable scope (so names double, e.g.
    'scope/scope/x/ExponentialMovingAverage/biased'), then get_variable of
    'biased' (the average's shape and dtype) and 'local_step' (scalar), both
    zeros and non-trainable; each name takes the first free '_N' suffix among
    the scope's global variables unless the scope reuses (_maybe_get_unique)."""
    with variable_scope(avg.name[:-len(":0")]):
        scope = get_variable_scope()

        def unique(name):
            if scope.reuse:
                return name
            taken = set(v.op.name for v in scope.global_variables())
            full = scope.name + "/" + name
            if full not in taken:
                return name
            i = 1
            while "%s_%d" % (full, i) in taken:
                i += 1
            return "%s_%d" % (name, i)

        get_variable(unique("biased"), shape=avg.shape, dtype=avg.dtype,
                     initializer=_init.Zeros(), trainable=False)
        get_variable(unique("local_step"), shape=[], dtype=avg.dtype,
                     initializer=_init.Zeros(), trainable=False)


def get_or_create_global_step(graph=None):
    """training_util.get_or_create_global_step (vs_get_or_create_global_step)."""
    if graph is not None:
        with graph.as_default():
            return _vs.global_step()
    return _vs.global_step()


def get_global_step(graph=None):
    g = graph or _core.get_default_graph()
    steps = g.get_collection(GraphKeys.GLOBAL_STEP)
    return steps[0] if steps else None


def create_global_step(graph=None):
    if get_global_step(graph) is not None:
        raise ValueError("\"global_step\" already exists.")
    return get_or_create_global_step(graph)


class Saver(object):
    def __init__(self, var_list=None, *args, **kwargs):
        pass

    def save(self, *a, **k):
        return None

    def restore(self, *a, **k):
        return None


class Coordinator(object):
    def should_stop(self):
        return True

    def request_stop(self, *a):
        pass

    def join(self, *a, **k):
        pass


def start_queue_runners(*a, **k):
    return []


class Checkpoint(object):
    def __init__(self, **kwargs):
        pass


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    return None


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    return _core._op("ExponentialDecay", [], name, "ExponentialDecay", TensorShape([]),
                     _core._dtypes.float32)
