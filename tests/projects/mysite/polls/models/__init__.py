from .question import Question
from .choice import Choice

__all__ = ['Question', 'Choice']
