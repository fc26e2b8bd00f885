window.YTD.tweets.part1 = [
  {
    "tweet" : {
      "id_str" : "5004",
      "created_at" : "Sun Oct 14 11:00:00 +0000 2018",
      "full_text" : "Hello @erin",
      "favorite_count" : "2",
      "retweet_count" : "0",
      "entities" : {
        "user_mentions" : [
          { "screen_name" : "erin", "name" : "Erin", "id_str" : "5005", "id" : "5005" }
        ]
      }
    }
  }
]
