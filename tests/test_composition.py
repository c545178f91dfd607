import inspect

from odoo.tests import TransactionCase, tagged

ADDON = "odoo.addons.service_order."


def own_classes(model):
    """The classes of this addon in the model's method resolution order (first is searched first)."""
    return [cls for cls in type(model).__mro__ if cls.__module__.startswith(ADDON)]


def names(model):
    return [cls._name for cls in type(model).__mro__ if getattr(cls, "_name", None)]


@tagged("post_install", "-at_install")
class TestComposition(TransactionCase):
    """What the order's _inherit comments say about the order of its feature mixins, asserted on
    the method resolution order Odoo built."""

    def test_the_order_of_the_mixins(self):
        mro = names(self.env["service.order"])
        # the card's activity state, in one grouped read, replaces mail.activity.mixin's compute
        self.assertLess(mro.index("service.order.card.mixin"), mro.index("mail.activity.mixin"))
        self.assertEqual(self._first_definer("service.order", "_compute_activity_state"), "service.order.card.mixin")
        # the sale order extends the confirmation (_do_confirm) and the time logs (_on_time_logged)
        for extended in ("service.order.confirmation.mixin", "service.order.time.mixin"):
            self.assertLess(mro.index("service.order.sale.mixin"), mro.index(extended))
        self.assertEqual(self._first_definer("service.order", "_do_confirm"), "service.order.sale.mixin")
        self.assertEqual(self._first_definer("service.order", "_on_time_logged"), "service.order.sale.mixin")
        # the state machine is the base of the hook every feature extends: last of the features
        for model in ("service.order", "service.work.item", "service.fallout"):
            with self.subTest(model=model):
                features = [name for name in names(self.env[model]) if name.startswith("service.")]
                self.assertEqual(features[-1], "service.state.mixin", features)

    def _first_definer(self, model, method):
        return next(cls._name for cls in type(self.env[model]).__mro__ if method in vars(cls))

    def test_an_extended_method_always_reaches_its_base(self):
        """A method defined by several feature mixins of a model calls super() in every one but
        the last (its base): no feature cuts another's off. (The model's own class may replace a
        method, e.g. to word a refusal; a feature never does.)"""
        for model in ("service.order", "service.work.item", "service.fallout"):
            classes = [cls for cls in own_classes(self.env[model]) if cls._name != model]
            methods = {name for cls in classes for name, value in vars(cls).items()
                       if inspect.isfunction(value) and not name.startswith("__")}
            for method in sorted(methods):
                definers = [cls for cls in classes if inspect.isfunction(vars(cls).get(method))]
                base_is_odoo = any(method in vars(cls) for cls in type(self.env[model]).__mro__
                                   if not cls.__module__.startswith(ADDON) and cls.__module__.startswith("odoo"))
                extending = definers if base_is_odoo else definers[:-1]
                for cls in extending:
                    with self.subTest(model=model, method=method, cls=cls._name):
                        # super() or super(Class, self.sudo()): the base reached, narrowed or not
                        self.assertRegex(inspect.getsource(vars(cls)[method]), r"super\((\)|\w+, self)")

    def test_every_init_calls_super(self):
        for name in self.env.registry:
            for cls in own_classes(self.env[name]):
                init = vars(cls).get("init")
                if init:
                    with self.subTest(model=name, cls=cls._name):
                        self.assertIn("super().init()", inspect.getsource(init))
