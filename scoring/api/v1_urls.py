from django.urls import path

from scoring.api import v1_views as v1

urlpatterns = [
    path("people/", v1.PeopleSearch.as_view(), name="api-people"),
    path("people/<str:public_id>/", v1.PersonDetail.as_view(), name="api-person"),
    path("people/<str:public_id>/history/", v1.PersonHistory.as_view()),
    path("people/<str:public_id>/topics/", v1.PersonTopics.as_view()),
    path("people/<str:public_id>/influence/", v1.PersonInfluence.as_view()),
    path("score/validity/", v1.ScoreValidity.as_view(), name="api-score-validity"),
]
