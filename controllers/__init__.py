from . import portal
from . import service_order_portal
