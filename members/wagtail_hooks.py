from wagtail import hooks

from .demo import demo_firms


@hooks.register("register_demo_loader", order=10)
def load_member_demo(demo):
    demo_firms(demo)
