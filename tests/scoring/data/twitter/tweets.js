window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "id_str" : "5001",
      "created_at" : "Wed Oct 10 20:19:24 +0000 2018",
      "full_text" : "Planting day with @bob and @carol",
      "favorite_count" : "12",
      "retweet_count" : "3",
      "entities" : {
        "user_mentions" : [
          { "screen_name" : "bob", "name" : "Bob Builder", "id_str" : "2002", "id" : "2002" },
          { "screen_name" : "carol", "name" : "Carol", "id_str" : "3003", "id" : "3003" }
        ]
      }
    }
  },
  {
    "tweet" : {
      "id_str" : "5002",
      "created_at" : "Thu Oct 11 08:00:00 +0200 2018",
      "full_text" : "@bob @alice thanks, see you there",
      "favorite_count" : "1",
      "retweet_count" : "0",
      "in_reply_to_status_id_str" : "4000",
      "in_reply_to_user_id_str" : "2002",
      "in_reply_to_screen_name" : "bob",
      "entities" : {
        "user_mentions" : [
          { "screen_name" : "bob", "name" : "Bob Builder", "id_str" : "2002", "id" : "2002" },
          { "screen_name" : "alice", "name" : "Alice Gardener", "id_str" : "1001", "id" : "1001" }
        ]
      }
    }
  },
  {
    "tweet" : {
      "id_str" : "5003",
      "created_at" : "Fri Oct 12 09:30:00 +0000 2018",
      "full_text" : "RT @dave: Compost is gold",
      "favorite_count" : "0",
      "retweet_count" : "7",
      "entities" : {
        "user_mentions" : [
          { "screen_name" : "dave", "name" : "Dave", "id_str" : "4004", "id" : "4004" }
        ]
      }
    }
  },
  {
    "tweet" : {
      "created_at" : "Sat Oct 13 10:00:00 +0000 2018",
      "full_text" : "a tweet without its id",
      "favorite_count" : "0",
      "retweet_count" : "0"
    }
  }
]
