from ecm_inspect.performance.services import FOLLOW_UP

from .services import apa_follow_up_lines

if apa_follow_up_lines not in FOLLOW_UP:
    FOLLOW_UP.append(apa_follow_up_lines)
