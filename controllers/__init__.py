from . import portal
from . import service_order_portal
from . import service_day
from . import service_equipment_portal
from . import service_order_customer
